/** Ids of every dialog and prompt, so that none is written inline. */
export const DialogIds = {
  main: 'main',
  mainWaterfall: 'main.waterfall',
} as const;
