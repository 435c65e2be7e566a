// Types for devtools-panel.mjs, which the TypeScript e2e helpers import.
export function showPanelScript(opts?: { undock?: boolean }): string;
export function unpackedExtensionId(absolutePath: string): Promise<string>;
export function panelFirstPreferences(extensionId: string, panelTitle: string): { devtools: { preferences: Record<string, string> } };
