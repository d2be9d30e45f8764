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

  it('knows a language CLDR has plural rules or an English name for, and no other', () => {
    // Plural rules but no English name; an English name but no plural rules (Klingon); neither.
    for (const tag of ['nah', 'smi', 'lld', 'tlh', 'es', 'yue']) expect(canonicalLocale(tag)).toBe(tag);
    for (const tag of ['xx', 'qaa', 'zzz', 'mis']) expect(() => canonicalLocale(tag)).toThrow(expect.objectContaining({ status: 400, code: 'invalid-locale' }));
  });

  it('does not make the English names of languages for a language with plural rules', () => {
    const original = Intl.DisplayNames;
    let made = 0;
    const intl = Intl as { DisplayNames: typeof Intl.DisplayNames };
    intl.DisplayNames = class extends original {
      constructor(...args: ConstructorParameters<typeof Intl.DisplayNames>) {
        super(...args);
        made++;
      }
    };
    try {
      jest.isolateModules(() => {
        // eslint-disable-next-line @typescript-eslint/no-require-imports -- a fresh copy of the module, nothing made yet
        const fresh = require('../server/domain/localeTag') as typeof import('../server/domain/localeTag');
        expect(fresh.canonicalLocale('pt-br')).toBe('pt-BR');
        expect(made).toBe(0);
        expect(fresh.canonicalLocale('tlh')).toBe('tlh');
        expect(made).toBe(1);
      });
    } finally {
      intl.DisplayNames = original;
    }
  });

  it('describes a locale once, and gives each caller its own copy', () => {
    const first = describeLocale('pt-BR', 'es');
    first.name = 'changed by a caller';
    expect(describeLocale('pt-BR', 'es')).toEqual({ code: 'pt-BR', nativeName: 'português (Brasil)', name: 'portugués de Brasil', dir: 'ltr' });
  });

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
