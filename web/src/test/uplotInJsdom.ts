/**
 * Lets the real uPlot run in jsdom (SpeedChart.test.tsx): a 2D context that draws nothing,
 * Path2D and matchMedia — all read by uPlot when it is imported, so import this module first.
 * Also puts the test in a time zone with daylight saving (Europe/Paris, the app's users'),
 * where a chart scale off by days shows as a clock off by an hour.
 */
const nodeProcess = (globalThis as unknown as { process: { env: Record<string, string | undefined> } }).process;
nodeProcess.env.TZ = 'Europe/Paris';

class FakePath2D {
  constructor(_path?: unknown) {}
  moveTo() {}
  lineTo() {}
  closePath() {}
  rect() {}
  arc() {}
  bezierCurveTo() {}
  addPath() {}
}
(globalThis as unknown as { Path2D: unknown }).Path2D = FakePath2D;

if (!window.matchMedia) {
  window.matchMedia = (query: string) =>
    ({
      matches: false,
      media: query,
      onchange: null,
      addEventListener() {},
      removeEventListener() {},
      addListener() {},
      removeListener() {},
      dispatchEvent: () => false,
    }) as MediaQueryList;
}

HTMLCanvasElement.prototype.getContext = function getContext(this: HTMLCanvasElement) {
  const state: Record<string | symbol, unknown> = {
    canvas: this,
    measureText: (text: string) => ({ width: text.length * 6, actualBoundingBoxAscent: 8, actualBoundingBoxDescent: 2 }),
    getLineDash: () => [],
  };
  return new Proxy(state, {
    get: (target, prop) => (prop in target ? target[prop] : () => undefined),
    set: (target, prop, value) => {
      target[prop] = value;
      return true;
    },
  }) as unknown as CanvasRenderingContext2D;
} as unknown as typeof HTMLCanvasElement.prototype.getContext;
