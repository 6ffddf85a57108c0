/**
 * Test helper: finds the usage charts of an HTML report and checks that each is the
 * trusted SVG `chart.ts` builds, made only of whitelisted elements and attributes with
 * numeric, colour or class values (the metric and subject text only as escaped text).
 */
import { expect } from "vitest";

/** `<figure class="chart">` blocks, each holding one `<svg>`. */
const CHART_FIGURE = /<figure class="chart">\n(<svg[\s\S]*?<\/svg>)\n<\/figure>\n?/g;

/** Any tag (start or end). */
const TAG = /<(\/?)([a-z][\w-]*)((?:\s+[a-z][\w-]*="[^"<>]*")*)\s*(\/?)>/gi;

/** One attribute. */
const ATTRIBUTE = /\s+([a-z][\w-]*)="([^"]*)"/gi;

const ELEMENTS = new Set(["svg", "title", "desc", "g", "line", "polyline", "path", "text"]);

const NUMBER = /^-?\d+(?:\.\d+)?$/;
const COLOUR = /^(?:#[0-9a-f]{6}|none|currentColor)$/;

/** Allowed attributes and the shape of their values. */
const ATTRIBUTES: Record<string, RegExp> = {
  class: /^[a-z][a-z -]*$/,
  viewBox: /^0 0 \d+ \d+$/,
  role: /^img$/,
  "aria-label": /^[^<>"]*$/,
  points: /^-?\d+\.\d,-?\d+\.\d(?: -?\d+\.\d,-?\d+\.\d)*$/,
  d: /^[MLZ0-9., -]+$/,
  transform: /^rotate\(-90\)$/,
  "text-anchor": /^(?:start|middle|end)$/,
  "font-weight": /^\d{3}$/,
  "stroke-dasharray": /^\d+ \d+$/,
  "stroke-linejoin": /^round$/,
  fill: COLOUR,
  stroke: COLOUR,
};
for (const name of ["width", "height", "x", "y", "x1", "x2", "y1", "y2", "font-size", "stroke-width"])
  ATTRIBUTES[name] = NUMBER;

/** The SVG markup of each chart figure in `html`. */
export function chartSvgs(html: string): string[] {
  return [...html.matchAll(CHART_FIGURE)].map((m) => m[1]!);
}

/** `html` without its chart figures (after checking each with {@link expectTrustedSvg}). */
export function withoutCharts(html: string): string {
  for (const svg of chartSvgs(html)) expectTrustedSvg(svg);
  return html.replace(CHART_FIGURE, "");
}

/** Fails unless `svg` is made only of whitelisted elements, attributes and values, and escaped text. */
export function expectTrustedSvg(svg: string): void {
  const rest = svg.replace(TAG, (tag, _end: string, name: string, attrs: string) => {
    expect(ELEMENTS.has(name), `element <${name}>`).toBe(true);
    for (const [, attr, value] of attrs.matchAll(ATTRIBUTE)) {
      const shape = ATTRIBUTES[attr!];
      expect(shape, `attribute ${attr} in ${tag.slice(0, 80)}`).toBeDefined();
      expect(value, `${attr}=${value}`).toMatch(shape!);
    }
    return "";
  });
  // What is left is text content: no markup may remain, and & only as an entity.
  expect(rest).not.toMatch(/[<>]/);
  expect(rest).not.toMatch(/&(?!(?:amp|lt|gt|quot|#39);)/);
}
