/**
 * Characters a name shown to people must not carry: C0 and C1 controls, DEL, the line and paragraph separators,
 * and the bidirectional controls (LRM U+200E, RLM U+200F, ALM U+061C, the embeddings and overrides U+202A–U+202E,
 * the isolates U+2066–U+2069), which make "invoice\u202Efdp.exe" display as "invoiceexe.pdf".
 */
// eslint-disable-next-line no-control-regex
export const UNSAFE_NAME_CHARACTER = /[\u0000-\u001f\u007f-\u009f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]/;

/** The same characters, for replace(): every occurrence. */
export const UNSAFE_NAME_CHARACTERS = new RegExp(UNSAFE_NAME_CHARACTER.source, 'g');
