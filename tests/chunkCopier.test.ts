import fc from 'fast-check';
import { chunkCopier } from '../server/formats/xliff12Text';

// A file's bytes held in chunks are copied range after range into a new file's chunks, with the
// writer's own text between them: the copy must be those bytes exactly, in as few views as the
// ranges allow (a source update of a book copies tens of thousands of ranges).

test('copies ranges of chunked bytes exactly, ranges that go on from the last one widening its view', () => {
  const bytes = fc.uint8Array({ minLength: 1, maxLength: 40 });
  fc.assert(
    fc.property(fc.array(bytes, { minLength: 1, maxLength: 6 }), fc.array(fc.record({ gap: fc.nat(8), length: fc.nat(30), insert: fc.boolean() }), { maxLength: 20 }), (chunks, steps) => {
      const whole = Buffer.concat(chunks);
      const out: Uint8Array[] = [];
      const copy = chunkCopier(chunks, out);
      const expected: Buffer[] = [];
      let at = 0;
      for (const { gap, length, insert } of steps) {
        const from = Math.min(whole.length, at + gap);
        const to = Math.min(whole.length, from + length);
        if (from < to) {
          copy(from, to);
          expected.push(whole.subarray(from, to));
          at = to;
        }
        if (insert) {
          // The writer's own text between two copies: never widened into.
          const text = Buffer.from(`<${out.length}>`);
          out.push(text);
          expected.push(text);
        }
      }
      expect(Buffer.concat(out).equals(Buffer.concat(expected))).toBe(true);
    }),
    { numRuns: 500 },
  );
});

test('ranges that follow one another in one chunk make one view of it', () => {
  const chunk = Buffer.from('0123456789');
  const out: Uint8Array[] = [];
  const copy = chunkCopier([chunk], out);
  copy(1, 3);
  copy(3, 5);
  copy(5, 6);
  expect(out).toHaveLength(1);
  expect(Buffer.from(out[0]).toString()).toBe('12345');
  copy(7, 8); // a gap: a view of its own
  expect(out.map((view) => Buffer.from(view).toString())).toEqual(['12345', '7']);
  out.push(Buffer.from('new'));
  copy(8, 10); // after the writer's text: a view of its own
  expect(out.map((view) => Buffer.from(view).toString())).toEqual(['12345', '7', 'new', '89']);
});

test('a range across chunks takes the whole chunks it covers as they are', () => {
  const chunks = [Buffer.from('abc'), Buffer.from('def'), Buffer.from('ghi')];
  const out: Uint8Array[] = [];
  const copy = chunkCopier(chunks, out);
  copy(0, 2);
  copy(2, 9);
  expect(Buffer.concat(out).toString()).toBe('abcdefghi');
  expect(out).toHaveLength(3);
  expect(out[0]).toBe(chunks[0]);
  expect(out[1]).toBe(chunks[1]);
  expect(out[2]).toBe(chunks[2]);
});
