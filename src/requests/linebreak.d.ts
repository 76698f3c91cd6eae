// linebreak (UAX #14 line-break opportunities; pdfkit's own line breaker) ships no types.
declare module 'linebreak' {
  export default class LineBreaker {
    constructor(text: string);
    nextBreak(): { position: number; required: boolean } | null;
  }
}
