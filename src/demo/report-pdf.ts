/**
 * A report as the PDF an agency attaches: its body (no portal chrome) printed by headless
 * Chromium, whose PDFs carry a real text layer and ruled tables. Used to build the sample portal.
 */
import { type Browser, chromium } from 'playwright-core';
import { CHROMIUM_ARGS } from '../fetch/browser.js';

export interface PdfPrinter {
  print(bodyHtml: string): Promise<Buffer>;
  close(): Promise<void>;
}

const CSS = 'body{font-family:"Noto Serif CJK SC","Noto Sans CJK SC",serif;font-size:11pt} table{margin:8pt 0;border-collapse:collapse}';

export async function launchPdfPrinter(executablePath = '/usr/bin/chromium'): Promise<PdfPrinter> {
  const browser: Browser = await chromium.launch({ executablePath, args: CHROMIUM_ARGS });
  const page = await browser.newPage();
  return {
    async print(bodyHtml) {
      await page.setContent(`<!DOCTYPE html><html><head><meta charset="utf-8"><style>${CSS}</style></head><body>${bodyHtml}</body></html>`);
      return page.pdf({ format: 'A4', margin: { top: '20mm', bottom: '20mm', left: '18mm', right: '18mm' } });
    },
    close: () => browser.close(),
  };
}
