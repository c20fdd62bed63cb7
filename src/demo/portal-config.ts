/** The sample portal's crawl configuration (samples/portal/portals.yaml) bound to a running server. */
import { join } from 'node:path';
import { loadPortalConfig, type Portal } from '../crawl/config.js';
import { SAMPLE_PORTAL_DIR } from './portal-server.js';

export async function samplePortals(baseUrl: string, root: string = SAMPLE_PORTAL_DIR): Promise<Portal[]> {
  const u = new URL(baseUrl);
  const cfg = await loadPortalConfig(join(root, 'portals.yaml'), { vars: { BASE_URL: baseUrl.replace(/\/$/, ''), HOST: u.host } });
  return cfg.portals;
}
