// offsets.js: the one place where the browser's UTF-16 code units meet the
// store's Unicode code points. tacit stores every offset as a code point
// of the document's normalised text, half-open [start,end); the DOM
// (Range.startOffset, String.length) counts UTF-16 units, in which an emoji
// or any character outside the Basic Multilingual Plane takes two. Hebrew
// niqqud and Arabic harakat are combining marks: one code point and one
// UTF-16 unit each, kept as separate code points (never merged with their
// letter), exactly as the store counts them.

// utf16ToCodePoints returns how many code points the first u16 UTF-16
// units of s hold. An offset inside a surrogate pair counts the pair.
export function utf16ToCodePoints(s, u16) {
  let u = 0, cp = 0;
  for (const ch of s) {
    if (u >= u16) break;
    u += ch.length;
    cp++;
  }
  return cp;
}

// codePointsToUtf16 returns the UTF-16 offset of code point cp of s.
export function codePointsToUtf16(s, cp) {
  let u = 0, i = 0;
  for (const ch of s) {
    if (i >= cp) break;
    u += ch.length;
    i++;
  }
  return u;
}

// codePoints splits s into its code points (for slicing by store offsets).
export function codePoints(s) {
  return Array.from(s);
}

// sliceCodePoints returns code points [start,end) of s.
export function sliceCodePoints(s, start, end) {
  return Array.from(s).slice(start, end).join('');
}

// pointIn returns the code-point offset, within el's text, of the DOM
// point (node, offset) that lies inside el.
export function pointIn(el, node, offset) {
  const r = document.createRange();
  r.setStart(el, 0);
  r.setEnd(node, offset);
  return utf16ToCodePoints(el.textContent, r.toString().length);
}

// compare returns -1, 0 or 1 as the point (node, offset) lies before,
// inside or after the contents of el.
function compare(el, node, offset) {
  const r = document.createRange();
  r.selectNodeContents(el);
  return r.comparePoint(node, offset);
}

// rangeToSpan turns a DOM Range into a span of document offsets. segs are
// the elements that hold the document's text, in document order, each with
// data-start: the code-point offset of its first character in the document,
// and text exactly as stored. A range that starts or ends between them is
// clipped to the text it covers; null when it covers none.
export function rangeToSpan(range, segs) {
  let start = null, end = null;
  for (const el of segs) {
    const c = compare(el, range.startContainer, range.startOffset);
    if (c < 0) { start = +el.dataset.start; break; }
    if (c === 0) { start = +el.dataset.start + pointIn(el, range.startContainer, range.startOffset); break; }
  }
  for (let i = segs.length - 1; i >= 0; i--) {
    const el = segs[i];
    const c = compare(el, range.endContainer, range.endOffset);
    if (c > 0) { end = +el.dataset.start + Array.from(el.textContent).length; break; }
    if (c === 0) { end = +el.dataset.start + pointIn(el, range.endContainer, range.endOffset); break; }
  }
  if (start === null || end === null || end <= start) return null;
  return { start, end };
}
