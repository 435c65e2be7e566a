/**
 * What the panel asks of the page hook beyond rules: for now, whether to record a stack for every
 * `send()` (*Record send stacks*, off by default: taking a stack costs each send some
 * microseconds). Like the rules, they go panel → router → relay → hook (and on to its workers),
 * end with the tab's last panel, and reach relays that connect later.
 */
export interface HookOptions {
  sendStacks: boolean;
}

export const DEFAULT_HOOK_OPTIONS: Readonly<HookOptions> = { sendStacks: false };

export function isHookOptions(x: unknown): x is HookOptions {
  return typeof x === 'object' && x !== null && typeof (x as Record<string, unknown>).sendStacks === 'boolean';
}

export const sameHookOptions = (a: HookOptions, b: HookOptions) => a.sendStacks === b.sendStacks;
