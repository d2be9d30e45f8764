/** The longest translation of one paragraph the workbench keeps, however it arrives (a save, a suggestion, an import). */
export const MAX_TARGET_LENGTH = 20_000;
