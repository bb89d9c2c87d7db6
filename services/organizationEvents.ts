/** Why an organization's competency picture may have changed, for whoever re-evaluates it (alerts). */
export type OrganizationChangeCause = 'unlink' | 'link' | 'move' | 'account-deleted' | 'credential-import' | 'requirement-change';

/**
 * Called after a committed change that can move a requirement's status; errors it throws are logged by the caller,
 * never undo the change.
 */
export type OnOrganizationChanged = (tenantId: string, cause: OrganizationChangeCause) => void | Promise<void>;

/** Calls the hook, if any, and swallows (reports) its failure: the change is already committed. */
export async function notifyOrganizationChanged(
  hook: OnOrganizationChanged | undefined,
  tenantId: string,
  cause: OrganizationChangeCause,
  onError: (error: unknown) => void = () => undefined,
): Promise<void> {
  if (!hook) return;
  try {
    await hook(tenantId, cause);
  } catch (error) {
    onError(error);
  }
}
