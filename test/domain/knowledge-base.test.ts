/**
 * VO-001: what a voice knowledge base accepts (domain/knowledge-base.ts). Expected values come from
 * the rule as written: Vapi's knowledge-base formats (.txt .pdf .docx .doc .csv .md .tsv .yaml .json
 * .xml .log, and .yml for YAML), known by the name's extension in any case; 1 byte to 5 MB; a name
 * of 1 to 200 characters, its path and control characters dropped.
 */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { checkKnowledgeFile, KNOWLEDGE_FILE_MAX_BYTES, knowledgeFileName } from '../../domain/knowledge-base.js';

const MB = 1024 * 1024;

describe('VO-001: knowledge-base files', () => {
  it.each([
    ['manual.pdf', 1, 'application/pdf'],
    ['Price List.PDF', 5 * MB, 'application/pdf'],
    ['faq.md', 10, 'text/markdown'],
    ['notes.txt', 10, 'text/plain'],
    ['server.log', 10, 'text/plain'],
    ['offer.docx', 10, 'application/vnd.openxmlformats-officedocument.wordprocessingml.document'],
    ['old.doc', 10, 'application/msword'],
    ['prices.csv', 10, 'text/csv'],
    ['prices.tsv', 10, 'text/tab-separated-values'],
    ['config.yaml', 10, 'application/yaml'],
    ['config.YML', 10, 'application/yaml'],
    ['data.json', 10, 'application/json'],
    ['feed.xml', 10, 'application/xml'],
    ['Préisliste Zürich 2027.pdf', 10, 'application/pdf'],
  ])('VO-001: %s (%i bytes) is accepted as %s', (name, size, type) => {
    expect(checkKnowledgeFile(name, size)).toEqual({ ok: true, name, contentType: type });
  });

  it.each([
    ['photo.png', 10, 'unsupported_type'],
    ['archive.zip', 10, 'unsupported_type'],
    ['script.exe', 10, 'unsupported_type'],
    ['README', 10, 'unsupported_type'],
    ['.pdf', 10, 'unsupported_type'],
    ['trailing.', 10, 'unsupported_type'],
    ['empty.txt', 0, 'empty'],
    ['big.pdf', 5 * MB + 1, 'too_large'],
    ['', 10, 'bad_name'],
    ['   ', 10, 'bad_name'],
    [`${'a'.repeat(197)}.pdf`, 10, 'bad_name'],
  ])('VO-001: %s (%i bytes) is refused: %s', (name, size, code) => {
    const r = checkKnowledgeFile(name, size);
    expect(r.ok).toBe(false);
    if (!r.ok) {
      expect(r.issue.code).toBe(code);
      expect(r.issue.message.length).toBeGreaterThan(0);
    }
  });

  it('VO-001: the name kept is the last path segment without control characters, trimmed', () => {
    expect(knowledgeFileName('C:\\Users\\ann\\Desktop\\faq.md')).toBe('faq.md');
    expect(knowledgeFileName('/etc/../hours.txt')).toBe('hours.txt');
    expect(knowledgeFileName(' price\u0000list\r\n.pdf ')).toBe('pricelist.pdf');
    expect(checkKnowledgeFile('../../secret/notes.txt', 3)).toEqual({ ok: true, name: 'notes.txt', contentType: 'text/plain' });
  });

  it('VO-001: any name and size: accepted exactly when the rule says, and a kept name has no path or control character (property)', () => {
    const ext = fc.constantFrom('pdf', 'txt', 'md', 'PNG', 'exe', 'Docx', 'yml', '', 'json');
    fc.assert(
      fc.property(fc.string({ maxLength: 60 }), ext, fc.integer({ min: 0, max: 6 * MB }), (stem, e, size) => {
        const raw = e ? `${stem}.${e}` : stem;
        const r = checkKnowledgeFile(raw, size);
        const name = raw
          .split(/[\\/]/)
          .pop()!
          .replace(/[\x00-\x1f\x7f]/g, '')
          .trim();
        const dot = name.lastIndexOf('.');
        const extension = dot > 0 && dot < name.length - 1 ? name.slice(dot + 1).toLowerCase() : '';
        const supported = ['txt', 'pdf', 'docx', 'doc', 'csv', 'tsv', 'md', 'yaml', 'yml', 'json', 'xml', 'log'].includes(extension);
        const expected = name.length >= 1 && name.length <= 200 && supported && size >= 1 && size <= KNOWLEDGE_FILE_MAX_BYTES;
        expect(r.ok).toBe(expected);
        if (r.ok) {
          expect(r.name).toBe(name);
          expect(r.name).not.toMatch(/[\\/\x00-\x1f\x7f]/);
        }
      }),
      { numRuns: 2000 },
    );
  });
});
