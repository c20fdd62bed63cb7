# nianbao: one image for every role — worker, server (UI), scheduler, one-off commands.
# Extraction needs poppler (PDF tools), LibreOffice (for .doc/.wps) and CJK fonts; portals that
# build their listings with JavaScript need Chromium (driven by playwright-core, no download).
FROM node:20-bookworm-slim

RUN apt-get update \
 && apt-get install -y --no-install-recommends \
      poppler-utils libreoffice-writer-nogui fonts-noto-cjk chromium ca-certificates tini \
 && rm -rf /var/lib/apt/lists/*

WORKDIR /app
# Chromium from Debian, not a Playwright download.
ENV NIANBAO_DATA=/data \
    PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1

# `npm ci` runs `prepare` (the TypeScript build), which needs the sources, and TypeScript, a
# dev dependency: build with them, then drop the dev dependencies from the image.
COPY package.json package-lock.json tsconfig.json tsconfig.build.json ./
COPY bin ./bin
COPY src ./src
COPY workers ./workers
RUN npm ci && npm run build && npm prune --omit=dev
ENV NODE_ENV=production

COPY config ./config
COPY samples ./samples

RUN mkdir -p /data && chown node:node /data
USER node
VOLUME ["/data"]

# tini as PID 1 passes SIGTERM on to node (docker stop → graceful worker shutdown) and reaps
# the sandboxed extraction processes and Chromium.
ENTRYPOINT ["/usr/bin/tini", "--", "node", "/app/bin/nianbao.js"]
CMD ["--help"]
