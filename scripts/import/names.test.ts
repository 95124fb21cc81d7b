import { describe, expect, it } from 'vitest';
import { cleanName, familyKeyOf, hasHiddenCharacters, slugOf, titleOf, versionNumberOf, visibleName } from './names';

describe('name families', () => {
  it('gives every version, stage, copy and date mark of one document the same family', () => {
    const names = [
      'Launch deck.pptx',
      'Launch deck v2.pptx',
      'Launch deck v3 FINAL.pptx',
      'Launch deck v3 FINAL (2).pptx',
      'launch_deck_v1.pptx',
      'Copy of Launch deck.pptx',
      'Launch deck - Copy.pptx',
      'Launch deck - Copy (3).pptx',
      'Launch deck 2024-03-01.pptx',
      'Launch deck 20240301.pptx',
      'Launch deck 01.03.2024.pptx',
      'Launch deck March 2024.pptx',
      'Launch deck final final.pptx',
      'Launch Deck version 4 updated.pptx',
      'Launch deck [1].pptx',
      'Launch déck.pptx'.normalize('NFD').replace('de\u0301ck', 'deck'),
    ];
    expect(new Set(names.map(familyKeyOf))).toEqual(new Set(['launch deck']));
  });

  it('keeps what tells documents apart: products, quarters, ordinary numbers', () => {
    expect(familyKeyOf('Pulse battlecard.pdf')).not.toBe(familyKeyOf('Relay battlecard.pdf'));
    expect(familyKeyOf('Q3 results.pdf')).toBe('q3 results');
    expect(familyKeyOf('Top 10 reasons v2.pdf')).toBe('top 10 reasons');
    expect(familyKeyOf('Café one-pager.pdf')).toBe('cafe one pager');
    expect(titleOf("What's new in May v2.pdf")).toBe("What's new in May");
  });

  it('falls back to the name when it is only marks', () => {
    expect(familyKeyOf('v2.pptx')).toBe('v2');
    expect(familyKeyOf('2024-01-05.pdf')).toBe('2024 01 05');
  });

  it('ignores hidden characters, so a bidi trick does not make a new family', () => {
    expect(familyKeyOf('Launch\u200b deck v2.pptx')).toBe('launch deck');
    expect(familyKeyOf('Launch deck\u202e v2.pptx')).toBe('launch deck');
  });
});

describe('titles and hidden characters', () => {
  it('titles a file by its family words in the name’s own case', () => {
    expect(titleOf('Launch deck v3 FINAL (2).pptx')).toBe('Launch deck');
    expect(titleOf('Aurora_Pulse_battlecard_2024-05-01.pdf')).toBe('Aurora Pulse battlecard');
    expect(titleOf('v2.pptx')).toBe('v2');
    expect(titleOf(`${'x'.repeat(200)}.pdf`)).toHaveLength(160);
  });

  it('strips bidi overrides and zero-width characters from titles, and writes them out for the report', () => {
    const name = 'Invoice \u202Efdp.exe\u202C v2.pdf';
    expect(hasHiddenCharacters(name)).toBe(true);
    expect(cleanName(name)).toBe('Invoice fdp.exe v2.pdf');
    expect(titleOf(name)).toBe('Invoice fdp.exe');
    expect(visibleName(name)).toBe('Invoice \\u202Efdp.exe\\u202C v2.pdf');
    expect(hasHiddenCharacters('Plain name.pdf')).toBe(false);
    expect(cleanName('a\u0000b\u001fc\u200dd')).toBe('abcd');
  });

  it('reads version numbers and makes slugs', () => {
    expect(versionNumberOf('Deck v3 FINAL.pptx')).toBe(3);
    expect(versionNumberOf('Deck version 2.1.pptx')).toBe(2.1);
    expect(versionNumberOf('Deck.pptx')).toBeNull();
    expect(slugOf('Présentation produit: 2024!')).toBe('presentation-produit-2024');
    expect(slugOf('???')).toBe('imported');
  });
});
