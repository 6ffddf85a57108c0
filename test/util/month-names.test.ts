/**
 * The one month table (src/util/month-names.ts) against glibc's `LC_TIME abmon` of each locale
 * it claims, as `strftime("%b")` prints them (copied here from glibc localedata, 2026-01, and
 * ru_RU / pt_BR as they were before glibc 2.27), in the cases pastes carry them.
 */
import { describe, expect, it } from "vitest";
import { monthIndex } from "../../src/util/month-names.js";

const ABMON: Record<string, string[]> = {
  en_US: ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"],
  de_DE: ["Jan", "Feb", "Mär", "Apr", "Mai", "Jun", "Jul", "Aug", "Sep", "Okt", "Nov", "Dez"],
  fr_FR: ["janv.", "févr.", "mars", "avril", "mai", "juin", "juil.", "août", "sept.", "oct.", "nov.", "déc."],
  fr_CA: ["jan", "fév", "mar", "avr", "mai", "jun", "jui", "aoû", "sep", "oct", "nov", "déc"],
  es_ES: ["ene", "feb", "mar", "abr", "may", "jun", "jul", "ago", "sep", "oct", "nov", "dic"],
  pt_BR: ["jan", "fev", "mar", "abr", "mai", "jun", "jul", "ago", "set", "out", "nov", "dez"],
  "pt_BR before 2.27": ["Jan", "Fev", "Mar", "Abr", "Mai", "Jun", "Jul", "Ago", "Set", "Out", "Nov", "Dez"],
  it_IT: ["gen", "feb", "mar", "apr", "mag", "giu", "lug", "ago", "set", "ott", "nov", "dic"],
  nl_NL: ["jan", "feb", "mrt", "apr", "mei", "jun", "jul", "aug", "sep", "okt", "nov", "dec"],
  pl_PL: ["sty", "lut", "mar", "kwi", "maj", "cze", "lip", "sie", "wrz", "paź", "lis", "gru"],
  ru_RU: ["янв", "фев", "мар", "апр", "мая", "июн", "июл", "авг", "сен", "окт", "ноя", "дек"],
  "ru_RU before 2.27": ["янв", "фев", "мар", "апр", "май", "июн", "июл", "авг", "сен", "окт", "ноя", "дек"],
  zh_CN: ["1月", "2月", "3月", "4月", "5月", "6月", "7月", "8月", "9月", "10月", "11月", "12月"],
  ja_JP: [" 1月", " 2月", " 3月", " 4月", " 5月", " 6月", " 7月", " 8月", " 9月", "10月", "11月", "12月"],
  ko_KR: [" 1월", " 2월", " 3월", " 4월", " 5월", " 6월", " 7월", " 8월", " 9월", "10월", "11월", "12월"],
};

const upper = (s: string) => s.toUpperCase();
const capitalised = (s: string) => s.charAt(0).toUpperCase() + s.slice(1);

describe("monthIndex", () => {
  it.each(Object.entries(ABMON))(
    "reads %s's twelve abbreviations, in lower, upper and capitalised case",
    (_locale, names) => {
      for (const spell of [(s: string) => s.toLowerCase(), upper, capitalised]) {
        expect(names.map((n) => monthIndex(spell(n).trim()))).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11]);
      }
    },
  );

  it("reads French abbreviations with or without their dot, and accents written decomposed", () => {
    expect(["janv", "févr", "juil", "sept", "déc"].map(monthIndex)).toEqual([0, 1, 6, 8, 11]);
    expect(monthIndex("de\u0301c.")).toBe(11);
    expect(monthIndex("Ma\u0308r")).toBe(2);
  });

  it("names no month for other words, other locales and impossible numbers", () => {
    for (const t of ["", "Foo", "June.", "Ιουν", "0月", "13月", "6日", "mon", "Tue", "..", "ju n", "6"])
      expect(monthIndex(t)).toBeNull();
  });
});
