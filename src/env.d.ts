/// <reference types="vite/client" />

/** The worker hook's bundled source (vite.config.ts, workerHookSource). */
declare const __SOCKSCOPE_WORKER_HOOK__: string;
