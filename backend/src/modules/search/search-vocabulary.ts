import { Injectable } from '@nestjs/common';
import { TenantTransactions } from '../../database/tenancy/tenant-transactions';
import { editDistance, maxEdits, positiveParts, QueryNode } from './query-parser';
import { SearchCache } from './search-cache';

/** Candidate words per fuzzy term, as Elasticsearch's `max_expansions` default. */
const MAX_EXPANSIONS = 50;
/** Trigram similarity below which no word is a candidate; the edit distance then decides. */
const CANDIDATE_SIMILARITY = 0.2;

/**
 * The organization's vocabulary (`search_words`, kept by a trigger on prompts) and the typo rule
 * applied to it. The Postgres engine searches with the expansions; the Elasticsearch engine marks
 * highlights with them (its highlighter is many times slower on fuzzy queries than on exact words).
 */
@Injectable()
export class SearchVocabulary {
  constructor(
    private readonly transactions: TenantTransactions,
    private readonly cache: SearchCache,
  ) {}

  /**
   * For each positive word long enough to allow edits: the organization's other words within the
   * allowed edit distance (trigram candidates from the index, then the exact rule). The vocabulary
   * only changes with the organization's prompts, so expansions are cached under its search generation.
   */
  async expand(organizationId: string, query: QueryNode): Promise<Map<string, string[]>> {
    const words = [
      ...new Set(
        positiveParts(query)
          .filter((p) => p.kind === 'term' && maxEdits(p.word) > 0)
          .map((p) => (p as { word: string }).word),
      ),
    ];
    const expansions = new Map<string, string[]>();
    if (!words.length) return expansions;
    const generation = this.cache.enabled ? await this.cache.generation(organizationId) : null;
    const terms: string[] = [];
    for (const word of words) {
      const known = generation && this.cache.getExpansion(organizationId, word, generation);
      if (!known) terms.push(word);
      else if (known.length) expansions.set(word, known);
    }
    if (!terms.length) return expansions;
    const em = this.transactions.manager;
    // The organization's words (about 1,500 per 1,000 prompts) come from the primary key's
    // organization prefix; scoring each is cheaper than the trigram index over every
    // organization's words (row-level security keeps `%` from being an index condition anyway),
    // and needs no per-transaction similarity threshold.
    const rows: Array<{ term: string; word: string }> = await em.query(
      `SELECT t.term, w.word FROM unnest($2::text[]) AS t (term)
         CROSS JOIN LATERAL (
           SELECT sw.word FROM search_words sw
            WHERE sw.organization_id = $1::uuid AND sw.word <> t.term
              AND similarity(sw.word, t.term) >= ${CANDIDATE_SIMILARITY}
            ORDER BY similarity(sw.word, t.term) DESC, sw.word LIMIT ${MAX_EXPANSIONS}) w`,
      [organizationId, terms],
    );
    for (const { term, word } of rows) {
      const allowed = maxEdits(term);
      if (editDistance(term, word, allowed) <= allowed) {
        expansions.set(term, [...(expansions.get(term) ?? []), word]);
      }
    }
    if (generation) {
      for (const term of terms)
        this.cache.setExpansion(organizationId, term, generation, expansions.get(term) ?? []);
    }
    return expansions;
  }
}
