import { describe, expect, it } from 'vitest';
import { reconnectDelay, redisConnection, withReconnectDelay } from '../../src/queue/connection.js';

describe('Redis connection options', () => {
  it('reconnect 1 s after a drop, then every 2 s however long Redis stays away', () => {
    expect([1, 2, 3, 10, 100, 10_000].map(reconnectDelay)).toEqual([1000, 2000, 2000, 2000, 2000, 2000]);
  });

  it('carry the schedule, which a sandbox puts back after the JSON trip that drops it', () => {
    const conn = redisConnection('redis://127.0.0.1:6390');
    expect(conn).toMatchObject({ url: 'redis://127.0.0.1:6390', maxRetriesPerRequest: null, retryStrategy: reconnectDelay });
    const carried = JSON.parse(JSON.stringify(conn));
    expect(carried.retryStrategy).toBeUndefined();
    expect(withReconnectDelay(carried)).toEqual(conn);
  });
});
