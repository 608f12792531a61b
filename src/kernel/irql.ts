/** IRQL values the model uses (wdm.h). */
export const HIGH_LEVEL = 15;
export const DISPATCH_LEVEL = 2;
