/**
 * Month names as `strftime("%b")` prints them in the locales nodes run, for the time prefixes
 * of `dmesg -T` (`%a %b %e %H:%M:%S %Y`) and `journalctl -o short` / `short-precise`
 * (`%b %d %H:%M:%S`), which both translate the month: the one table of month names in the code.
 * Source: glibc `localedata/locales/<locale>` `LC_TIME abmon` (and `ab_alt_mon`), read at glibc
 * master 2026-01 and at its 2015 state where a locale changed since (ru_RU `май` became the
 * genitive `мая` in 2.27); fr_CA for `avr`/`jui`. CJK locales print the month number: zh_CN `6月`,
 * ja_JP ` 6月` (space-padded), ko_KR ` 6월`.
 *
 * Sample tokens: `Jun`, `jun`, `JUN`, `Mär`, `déc.`, `févr.`, `ago`, `set`, `мая`, `Июн`, `6月`, `10월`.
 */

/**
 * Abbreviations per month (January first), lower case, without a trailing dot. Locales sharing a
 * spelling list it once: en de fr es pt it nl pl ru (Polish for its own spellings only).
 */
const ABBREVIATIONS: readonly (readonly string[])[] = [
  ["jan", "janv", "ene", "gen", "sty", "янв"],
  ["feb", "févr", "fév", "fev", "lut", "фев"],
  ["mar", "mär", "mars", "mrt", "мар"],
  ["apr", "avril", "avr", "abr", "kwi", "апр"],
  ["may", "mai", "mag", "mei", "maj", "мая", "май"],
  ["jun", "juin", "giu", "cze", "июн"],
  ["jul", "juil", "jui", "lug", "lip", "июл"],
  ["aug", "août", "aoû", "ago", "sie", "авг"],
  ["sep", "sept", "set", "wrz", "сен"],
  ["oct", "okt", "out", "ott", "paź", "окт"],
  ["nov", "lis", "ноя"],
  ["dec", "dez", "déc", "dic", "gru", "дек"],
];

const BY_NAME: ReadonlyMap<string, number> = new Map(
  ABBREVIATIONS.flatMap((names, month) => names.map((n) => [n, month] as const)),
);
// A spelling listed under two months would silently name the later one.
if (BY_NAME.size !== ABBREVIATIONS.flat().length) throw new Error("month-names: a spelling is listed twice");

// CJK month numbers: zh/ja `6月`, ko `6월`.
const NUMBERED = /^(\d{1,2})[月월]$/;
const TRAILING_DOT = /\.$/;

/**
 * The month (0 = January) a `%b` token names, in any case and any of the locales above (NFC or
 * decomposed accents, with or without the abbreviation's dot); null for anything else.
 */
export function monthIndex(token: string): number | null {
  const key = token.normalize("NFC").toLowerCase().replace(TRAILING_DOT, "");
  const numbered = NUMBERED.exec(key);
  if (numbered) {
    const n = Number(numbered[1]);
    return n >= 1 && n <= 12 ? n - 1 : null;
  }
  return BY_NAME.get(key) ?? null;
}
