/** Colour families shared by badges, inline results and toasts. */
export type Tone = 'success' | 'danger' | 'warning' | 'info' | 'neutral';
