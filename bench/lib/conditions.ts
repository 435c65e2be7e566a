/**
 * The conditions the overhead and worker sections compare, each in a browser of its own.
 * With DevTools open Chrome records every frame itself, so (c) is held against (a') for our share.
 */
export type CondId = 'a' | "a'" | 'b' | 'c';
export interface Condition { id: CondId; label: string; extension: boolean; devtools: boolean; panel: boolean }

export const CONDITIONS: Condition[] = [
  { id: 'a', label: 'no extension, DevTools closed', extension: false, devtools: false, panel: false },
  { id: "a'", label: 'no extension, DevTools open (default panel)', extension: false, devtools: true, panel: false },
  { id: 'b', label: 'extension, DevTools closed', extension: true, devtools: false, panel: false },
  { id: 'c', label: 'extension, our panel open and recording', extension: true, devtools: true, panel: true },
];
