import { canonicalLocale, canonicalToolLocale, describeLocale } from '../server/domain/localeTag';

describe('locale tags', () => {
  it('canonicalises BCP 47 tags', () => {
    expect(canonicalLocale('es')).toBe('es');
    expect(canonicalLocale('PT-br')).toBe('pt-BR');
    expect(canonicalLocale('sr-latn')).toBe('sr-Latn');
  });

  it.each(['../x', 'a/b', '%2e%2e', '__proto__', 'x\u0000y', '', 'en-u-ca-gregory', 'x-private', 'und', 'qqq', 'e', 'toolongtag-123456789-123456789-123456789'])(
    'refuses %j with a message',
    (tag) => {
      expect(() => canonicalLocale(tag)).toThrow(expect.objectContaining({ status: 400, code: 'invalid-locale' }));
    },
  );

  it('names a language in its own language and knows right-to-left scripts', () => {
    expect(describeLocale('es').nativeName).toBe('español');
    expect(describeLocale('ar')).toMatchObject({ dir: 'rtl' });
    expect(describeLocale('he').dir).toBe('rtl');
    expect(describeLocale('fa').dir).toBe('rtl');
    expect(describeLocale('es').dir).toBe('ltr');
  });
});

describe('canonicalToolLocale', () => {
  it('reads the tags other tools write in their files, gettext underscores included', () => {
    expect(canonicalToolLocale('es_ES')).toBe('es-ES');
    expect(canonicalToolLocale('pt-br')).toBe('pt-BR');
    expect(() => canonicalToolLocale('../etc')).toThrow(/not a language tag/);
  });
});
