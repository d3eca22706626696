/**
 * One-line messages for failed zod validations of config files (dataset, optimize): the field as a
 * dotted path, the reason, and the value given (cut to 60 characters).
 */
import type { z } from 'zod';

/** Dotted field name of a zod issue path. */
function fieldName(p: readonly PropertyKey[]): string {
  let s = '';
  for (const k of p) s += typeof k === 'number' ? `[${k}]` : s ? `.${String(k)}` : String(k);
  return s;
}

function valueAt(input: unknown, p: readonly PropertyKey[]): unknown {
  let v: unknown = input;
  for (const k of p) {
    if (v === null || typeof v !== 'object') return undefined;
    v = (v as Record<PropertyKey, unknown>)[k];
  }
  return v;
}

/**
 * The most specific issue: zod reports a failed union as one "invalid_union" issue; descend into
 * the branch whose errors went deepest (the one the user most likely meant).
 */
function deepestIssue(issues: readonly z.core.$ZodIssue[]): z.core.$ZodIssue {
  let best = issues[0];
  let bestDepth = -1;
  for (const is of issues) {
    let cand: z.core.$ZodIssue = is;
    if (is.code === 'invalid_union') {
      const branches = (is as unknown as { errors: z.core.$ZodIssue[][] }).errors;
      let inner: z.core.$ZodIssue | null = null;
      let d = -1;
      for (const br of branches) {
        if (!br.length) continue;
        const b = deepestIssue(br);
        // a branch failing on "type"/"module" (discriminator-like) is a worse guess than one failing deeper
        const depth =
          b.path.length +
          (b.code === 'unrecognized_keys' ? -0.5 : 0) +
          (b.code === 'invalid_type' && b.path.length === 0 ? -1 : 0);
        if (depth > d) {
          d = depth;
          inner = { ...b, path: [...is.path, ...b.path] } as z.core.$ZodIssue;
        }
      }
      if (inner) cand = inner;
    }
    if (cand.path.length > bestDepth) {
      best = cand;
      bestDepth = cand.path.length;
    }
  }
  return best;
}

/** One line for a failed validation: field, reason, value given. */
export function configErrorMessage(error: z.ZodError, input: unknown): string {
  const issue = deepestIssue(error.issues);
  let where = fieldName(issue.path);
  let msg = issue.message;
  if (issue.code === 'unrecognized_keys') {
    const keys = (issue as { keys?: string[] }).keys ?? [];
    msg = `unknown field${keys.length > 1 ? 's' : ''} ${keys.map((k) => `"${k}"`).join(', ')}`;
  } else if (issue.code === 'invalid_type' && valueAt(input, issue.path) === undefined) {
    msg = 'is required';
  }
  const got = valueAt(input, issue.path);
  if (got !== undefined && issue.code !== 'unrecognized_keys') {
    const s = JSON.stringify(got) ?? String(got);
    msg += `, got ${s.length > 60 ? s.slice(0, 57) + '...' : s}`;
  }
  if (!where) where = issue.code === 'unrecognized_keys' ? 'top level' : 'config';
  return `${where}: ${msg}`;
}
