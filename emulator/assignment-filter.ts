/** The `$filter` forms the roleAssignments list API understands, combinable with `and`. */
export interface AssignmentFilter {
  /** `atScope()`: only assignments at the scope or above it (otherwise below it too). */
  atScope: boolean;
  /** `assignedTo('{id}')`: assignments to the principal or to any group containing it, transitively. */
  assignedTo?: string;
  /** `principalId eq '{id}'`: assignments to exactly this principal. */
  principalId?: string;
}

export type FilterParse = { ok: true; filter: AssignmentFilter } | { ok: false; message: string };

export function parseAssignmentFilter(text: string | undefined): FilterParse {
  const filter: AssignmentFilter = { atScope: false };
  if (text === undefined || text.trim() === '') return { ok: true, filter };
  for (const term of text.trim().split(/\s+and\s+/i)) {
    const assignedTo = /^assignedTo\('([^']*)'\)$/i.exec(term.trim());
    const principalId = /^principalId\s+eq\s+'([^']*)'$/i.exec(term.trim());
    if (/^atScope\(\)$/i.test(term.trim())) filter.atScope = true;
    else if (assignedTo?.[1] !== undefined && filter.assignedTo === undefined) filter.assignedTo = assignedTo[1];
    else if (principalId?.[1] !== undefined && filter.principalId === undefined) filter.principalId = principalId[1];
    else return unsupported(text);
  }
  if (filter.assignedTo !== undefined && filter.principalId !== undefined) return unsupported(text);
  return { ok: true, filter };
}

function unsupported(text: string): FilterParse {
  return {
    ok: false,
    message: `The filter '${text}' is not supported. Supported filters: atScope(), assignedTo('{objectId}'), principalId eq '{objectId}', and atScope() combined with either of the others.`,
  };
}
