/**
 * The cross-report identities, as data (rules.json), checked once on load with zod so a typo in
 * the data fails loudly rather than silently checking nothing.
 */
import { z } from 'zod';
import RULES from './rules.json' with { type: 'json' };

const Template = z.enum(['2019', '2021']);
const Term = z.object({ from: z.enum(['earlier', 'later']), field: z.string(), sign: z.union([z.literal(1), z.literal(-1)]).optional() });
const Base = {
  id: z.string(),
  /** strong: the format links the numbers exactly; weak: real reports often break it. */
  strength: z.enum(['strong', 'weak']),
  description: z.string(),
  templates: z.object({ earlier: z.array(Template), later: z.array(Template) }),
};
const LinearRule = z.object({ ...Base, kind: z.literal('linear'), checks: z.array(z.object({ field: z.string(), expected: z.array(Term).min(1) })) });
const RatioRule = z.object({
  ...Base,
  kind: z.literal('ratio'),
  factor: z.number().positive(),
  /** The ratio of the larger amount to the smaller that counts as a jump. */
  within: z.tuple([z.number().positive(), z.number().positive()]),
  /** Below this the larger amount is too small for a unit confusion to be told from noise. */
  minYuan: z.number().nonnegative(),
  fields: z.array(z.string()),
});
const Rule = z.discriminatedUnion('kind', [LinearRule, RatioRule]);
export type PanelRule = z.infer<typeof Rule>;
export type LinearPanelRule = z.infer<typeof LinearRule>;
export type RatioPanelRule = z.infer<typeof RatioRule>;

export const PANEL_RULES: readonly PanelRule[] = z.object({ rules: z.array(Rule) }).parse(RULES).rules;
