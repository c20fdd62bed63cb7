/**
 * The expected records of the three real 2023–2024 reports in ../shared/real-fetched, written by
 * reading them. The PDF path (test/pdf) and the text path on their pdftotext dumps
 * (test/seeds.test.ts) must both give exactly these.
 */
import { appRow, expectedValues, reviewRow } from './expected.js';

export interface RealPdf {
  file: string;
  agency: string;
  year: number;
  template: '2019' | '2021';
  status: 'valid' | 'flagged';
  codes: string[];
  values: Record<string, number | null>;
}

const aggregated = { otherAggregated: true };

export const REAL_PDFS: RealPdf[] = [
  {
    file: '009.pdf', agency: '淮安市人民政府', year: 2024, template: '2021', status: 'valid', codes: [],
    values: expectedValues('2021', {
      'proactive.rules.issued': 1, 'proactive.rules.repealed': 0, 'proactive.rules.inForce': 11,
      'proactive.normative.issued': 8, 'proactive.normative.repealed': 26, 'proactive.normative.inForce': 66,
      'proactive.licensing.decisions': 447228, 'proactive.penalty.decisions': 3985758, 'proactive.coercion.decisions': 88283,
      'proactive.fees.amountYuan': 961716000,
      ...appRow('newReceived', [3001, 53, 0, 0, 61, 4, 3119]),
      ...appRow('carriedOver', [34, 0, 0, 0, 0, 0, 34]),
      ...appRow('granted', [1288, 21, 0, 0, 50, 3, 1362]),
      ...appRow('partiallyGranted', [447, 7, 0, 0, 0, 0, 454]),
      ...appRow('denied.stateSecret', [2, 0, 0, 0, 0, 0, 2]),
      ...appRow('denied.prohibitedByLaw', [30, 1, 0, 0, 0, 0, 31]),
      ...appRow('denied.endangersSecurity', [5, 0, 0, 0, 0, 0, 5]),
      ...appRow('denied.thirdPartyRights', [6, 0, 0, 0, 0, 0, 6]),
      ...appRow('denied.internalAffairs', [7, 1, 0, 0, 0, 0, 8]),
      ...appRow('denied.processInformation', [12, 0, 0, 0, 0, 0, 12]),
      ...appRow('denied.enforcementFiles', [9, 0, 0, 0, 0, 0, 9]),
      ...appRow('denied.administrativeQuery', [105, 0, 0, 0, 0, 0, 105]),
      ...appRow('unable.notHeld', [746, 12, 0, 0, 10, 1, 769]),
      ...appRow('unable.needsCreation', [11, 0, 0, 0, 0, 0, 11]),
      ...appRow('unable.unclearAfterCorrection', [1, 0, 0, 0, 0, 0, 1]),
      ...appRow('notProcessed.complaint', [56, 6, 0, 0, 0, 0, 62]),
      ...appRow('notProcessed.duplicate', [25, 0, 0, 0, 0, 0, 25]),
      ...appRow('notProcessed.confirmation', [1, 0, 0, 0, 0, 0, 1]),
      ...appRow('other.noCorrection', [67, 3, 0, 0, 1, 0, 71]),
      ...appRow('other.unpaidFee', [6, 0, 0, 0, 0, 0, 6]),
      ...appRow('other.other', [108, 2, 0, 0, 0, 0, 110]),
      ...appRow('total', [2932, 53, 0, 0, 61, 4, 3050]),
      ...appRow('carriedForward', [103, 0, 0, 0, 0, 0, 103]),
      ...reviewRow([72, 64, 178, 37, 351, 13, 4, 8, 1, 26, 12, 1, 1, 6, 20]),
    }),
  },
  {
    // Review and litigation totals of 0 beside non-zero parts: flagged, nothing "fixed".
    file: '010.pdf', agency: '洪泽区人民政府', year: 2023, template: '2021', status: 'flagged',
    codes: ['error:identity_failed', 'error:identity_failed', 'warning:row_aggregated'],
    values: expectedValues('2021', {
      'proactive.normative.repealed': 5, 'proactive.normative.inForce': 5,
      'proactive.licensing.decisions': 550, 'proactive.penalty.decisions': 4119, 'proactive.coercion.decisions': 195,
      'proactive.fees.amountYuan': 77302800,
      ...appRow('newReceived', [21, 0, 0, 0, 0, 0, 21]),
      ...appRow('partiallyGranted', [4, 0, 0, 0, 0, 0, 4]),
      ...appRow('denied.stateSecret', [1, 0, 0, 0, 0, 0, 1]),
      ...appRow('denied.processInformation', [1, 0, 0, 0, 0, 0, 1]),
      ...appRow('denied.enforcementFiles', [1, 0, 0, 0, 0, 0, 1]),
      ...appRow('unable.notHeld', [10, 0, 0, 0, 0, 0, 10]),
      ...appRow('unable.needsCreation', [3, 0, 0, 0, 0, 0, 3]),
      ...appRow('notProcessed.complaint', [1, 0, 0, 0, 0, 0, 1]),
      ...appRow('total', [21, 0, 0, 0, 0, 0, 21]),
      ...reviewRow([10, 1, 0, 0, 0, 0, 0, 0, 0, 0, 5, 0, 0, 0, 0]),
    }, aggregated),
  },
  {
    // （六）其他处理 printed as one row in a 2021 report.
    file: '011.pdf', agency: '淮安市洪泽区人民政府', year: 2024, template: '2021', status: 'valid', codes: ['warning:row_aggregated'],
    values: expectedValues('2021', {
      'proactive.normative.issued': 3, 'proactive.normative.inForce': 8,
      'proactive.licensing.decisions': 9487, 'proactive.penalty.decisions': 2776, 'proactive.coercion.decisions': 84,
      'proactive.fees.amountYuan': 75450000,
      ...appRow('newReceived', [95, 0, 0, 0, 0, 0, 95]),
      ...appRow('granted', [50, 0, 0, 0, 0, 0, 50]),
      ...appRow('partiallyGranted', [9, 0, 0, 0, 0, 0, 9]),
      ...appRow('denied.endangersSecurity', [1, 0, 0, 0, 0, 0, 1]),
      ...appRow('denied.processInformation', [1, 0, 0, 0, 0, 0, 1]),
      ...appRow('denied.enforcementFiles', [1, 0, 0, 0, 0, 0, 1]),
      ...appRow('unable.notHeld', [31, 0, 0, 0, 0, 0, 31]),
      ...appRow('unable.needsCreation', [1, 0, 0, 0, 0, 0, 1]),
      ...appRow('notProcessed.complaint', [1, 0, 0, 0, 0, 0, 1]),
      ...appRow('total', [95, 0, 0, 0, 0, 0, 95]),
      ...reviewRow([1, 1, 0, 0, 2, 1, 0, 0, 0, 1, 2, 0, 1, 0, 3]),
    }, aggregated),
  },
];
