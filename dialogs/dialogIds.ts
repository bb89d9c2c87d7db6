/** Ids of every dialog and prompt, so that none is written inline. */
export const DialogIds = {
  main: 'main',
  mainWaterfall: 'main.waterfall',
  link: 'link',
  linkWaterfall: 'link.waterfall',
  linkKindPrompt: 'link.kindPrompt',
  linkAccountPrompt: 'link.accountPrompt',
  linkConfirmAccountPrompt: 'link.confirmAccountPrompt',
  linkMovePrompt: 'link.movePrompt',
  unlink: 'unlink',
  unlinkWaterfall: 'unlink.waterfall',
  unlinkConfirmPrompt: 'unlink.confirmPrompt',
  status: 'status',
  statusWaterfall: 'status.waterfall',
} as const;
