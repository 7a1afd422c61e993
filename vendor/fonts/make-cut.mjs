import * as fontkit from 'fontkit';
import { readFileSync, writeFileSync } from 'node:fs';
const noto = new Set(fontkit.create(readFileSync('node_modules/@embedpdf/fonts-sc/fonts/NotoSansHans-Regular.otf')).characterSet);
const H=process.argv[2] ?? 'h/usr/share/fonts/truetype/hanazono/';
const a = fontkit.create(readFileSync(H+'HanaMinA.ttf')).characterSet;
const b = fontkit.create(readFileSync(H+'HanaMinB.ttf')).characterSet;
// Han ideographs and their radicals/strokes/compatibility forms: the characters a name may use.
const han = (c) => (c >= 0x2e80 && c <= 0x2fdf) || (c >= 0x31c0 && c <= 0x31ef) || (c >= 0x3400 && c <= 0x4dbf) || (c >= 0x4e00 && c <= 0x9fff) || (c >= 0xf900 && c <= 0xfaff) || (c >= 0x20000 && c <= 0x3ffff);
const aa = a.filter(c => han(c) && !noto.has(c)); const as = new Set(aa);
const bb = b.filter(c => han(c) && !noto.has(c) && !as.has(c));
writeFileSync('a.txt', aa.map(c=>'U+'+c.toString(16)).join(','));
writeFileSync('b.txt', bb.map(c=>'U+'+c.toString(16)).join(','));
console.log(aa.length, bb.length);
