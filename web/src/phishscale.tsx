// The NIST Phish Scale (NIST TN 2276) in the app's words: a rating's
// difficulty badge, its cues by category, and what the results observed.
import type { CueCategory, Difficulty, Observed, PhishRating, RatingCue } from './api';
import { Badge, useId } from './ui';

export const DIFFICULTY_LABEL: Record<Difficulty, string> = {
  very: 'Very difficult', moderately: 'Moderately difficult',
  moderately_to_least: 'Moderately to least difficult', least: 'Least difficult',
};
const DIFFICULTY_KIND: Record<Difficulty, string> = { very: 'danger', moderately: 'warn', moderately_to_least: 'info', least: 'muted' };
export const difficultyLabel = (d: string) => DIFFICULTY_LABEL[d as Difficulty] ?? d;

export function DifficultyBadge({ difficulty, label }: { difficulty?: Difficulty | null; label?: string }) {
  if (!difficulty) return null;
  return <span data-testid="difficulty-badge" data-difficulty={difficulty}><Badge kind={DIFFICULTY_KIND[difficulty] ?? 'muted'}>{label ?? difficultyLabel(difficulty)}</Badge></span>;
}

export const CUE_CATEGORIES: [CueCategory, string][] = [
  ['errors', 'Errors'], ['technical', 'Technical indicators'], ['visual', 'Visual presentation'], ['language', 'Language and content'],
];
const humanize = (v: string) => { const s = v.replace(/[-_]+/g, ' '); return s.charAt(0).toUpperCase() + s.slice(1); };
const CUE_LABEL: Record<string, string> = {
  spelling_grammar: 'Spelling and grammar irregularities', inconsistency: 'Inconsistency',
  attachment_type: 'Attachment type', display_name_mismatch: 'Display name and address mismatch',
  url_hyperlinking: 'URL hyperlinking', domain_spoofing: 'Domain spoofing',
  no_branding: 'No or minimal branding', logo_imitation: 'Logo imitation or out-of-date branding',
  unprofessional_design: 'Unprofessional design or formatting', security_indicators: 'Security indicators and icons',
  legal_language: 'Legal language, copyright or disclaimers', distracting_detail: 'Distracting detail',
  requests_sensitive_info: 'Requests sensitive information', sense_of_urgency: 'Sense of urgency',
  threatening_language: 'Threatening language', generic_greeting: 'Generic greeting',
  lack_of_signer_details: 'Lack of signer details', humanitarian_appeal: 'Humanitarian appeal',
  too_good_to_be_true: 'Too good to be true', you_are_special: "You're special",
  limited_time_offer: 'Limited-time offer', mimics_business_process: 'Mimics a business process',
  poses_as_authority: 'Poses as a colleague, supervisor or authority',
};
export const cueLabel = (t: string) => CUE_LABEL[t] ?? humanize(t);

// The cues by category; a rating's cues say whether they were detected in the
// message or listed by its author. With `onDismiss`, the first detected cue of
// each type offers to dismiss the type (its detected cues stop counting).
export function CueList({ cues, testid = 'cues', onDismiss }: {
  cues: (RatingCue | { type: string; category: CueCategory; where: string; source?: RatingCue['source'] })[]; testid?: string; onDismiss?: (type: string) => void;
}) {
  const offered = new Set<string>();
  const dismissable = (c: { type: string; source?: RatingCue['source'] }) => {
    if (!onDismiss || c.source !== 'detected' || offered.has(c.type)) return false;
    offered.add(c.type);
    return true;
  };
  return (
    <div data-testid={testid}>
      {CUE_CATEGORIES.map(([cat, label]) => {
        const mine = cues.filter((c) => c.category === cat);
        return (
          <div class="cue-group">
            <h3>{label} ({mine.length})</h3>
            {mine.length === 0
              ? <p class="muted small">None.</p>
              : (
                <ul class="flag-list">
                  {mine.map((c) => (
                    <li>
                      <strong>{cueLabel(c.type)}</strong>{c.where && <> — {c.where}</>}
                      {c.source && <> <Badge kind={c.source === 'detected' ? 'info' : 'muted'}>{c.source === 'detected' ? 'Detected' : 'Author'}</Badge></>}
                      {dismissable(c) && <> <button type="button" class="btn btn-small" onClick={() => onDismiss?.(c.type)}>Dismiss<span class="sr-only"> {cueLabel(c.type)}</span></button></>}
                    </li>
                  ))}
                </ul>
              )}
          </div>
        );
      })}
    </div>
  );
}

// The detected cue types the author dismissed (a template's
// phish_scale.dismissed): what Phishdrill detects of them does not count, the
// author's own cues of those types do. With `onRestore`, each can be counted again.
export function DismissedCues({ dismissed, onRestore }: { dismissed: string[]; onRestore?: (type: string) => void }) {
  const id = useId('dismissed');
  return (
    <div data-testid="dismissed-cues">
      <h3 id={id}>Dismissed cue types ({dismissed.length})</h3>
      {dismissed.length === 0
        ? <p class="muted small">None: every detected cue counts.</p>
        : (
          <ul class="cue-dismissed" aria-labelledby={id}>
            {dismissed.map((t) => (
              <li>
                <span><strong>{cueLabel(t)}</strong> <span class="muted small">— detected cues of this type are not counted</span></span>
                {onRestore && <button type="button" class="btn btn-small" onClick={() => onRestore(t)}>Restore<span class="sr-only"> {cueLabel(t)}</span></button>}
              </li>
            ))}
          </ul>
        )}
    </div>
  );
}

const pct = (x: number) => `${Math.round(x * 100)} %`;
export const VERDICT_LABEL: Record<Observed['verdict'], string> = {
  too_few: 'Not enough results yet', agrees: 'Results agree with the rating',
  harder_than_rated: 'Harder than rated', easier_than_rated: 'Easier than rated',
};
const VERDICT_KIND: Record<Observed['verdict'], string> = { too_few: 'muted', agrees: 'success', harder_than_rated: 'danger', easier_than_rated: 'warn' };

export function VerdictBadge({ observed }: { observed?: Observed }) {
  if (!observed) return null;
  return <Badge kind={VERDICT_KIND[observed.verdict] ?? 'muted'}>{VERDICT_LABEL[observed.verdict] ?? observed.verdict}</Badge>;
}

// What campaigns observed: the click rate with its 95 % interval, compared with the rating.
export function ObservedBlock({ observed, rating }: { observed: Observed; rating?: PhishRating }) {
  const o = observed;
  const rated = rating ? rating.difficulty_label.toLowerCase() : 'rated';
  const seen = o.observed_difficulty ? difficultyLabel(o.observed_difficulty).toLowerCase() : '';
  return (
    <div data-testid="observed">
      <p>
        Sent {o.sent}, clicked {o.clicked}
        {o.sent > 0 && <> ({pct(o.failure_rate)}, 95 % interval {pct(o.interval[0])}–{pct(o.interval[1])})</>}
        {o.submitted > 0 && <>, submitted {o.submitted}</>}.
      </p>
      {o.verdict === 'too_few' && <p class="muted">Not enough results yet to compare with the rating.</p>}
      {o.verdict === 'agrees' && <p><VerdictBadge observed={o} /> The click rate fits “{rated}”.</p>}
      {o.verdict === 'harder_than_rated' && (
        <div class="banner banner-warn" role="status">
          <strong>Harder than rated.</strong> People clicked more often than a message rated {rated} should make them{seen && <> (the results look {seen})</>}. Check the cues and premise answers.
        </div>
      )}
      {o.verdict === 'easier_than_rated' && (
        <div class="banner banner-warn" role="status">
          <strong>Easier than rated.</strong> People clicked less often than a message rated {rated} should make them{seen && <> (the results look {seen})</>}. Check the cues and premise answers.
        </div>
      )}
    </div>
  );
}

// The rating: difficulty, its reasons, the cues and what was observed.
export function RatingCard({ rating, observed, title = 'Phish Scale difficulty' }: { rating: PhishRating; observed?: Observed; title?: string }) {
  const id = useId('rating');
  return (
    <section class="card" aria-labelledby={id} data-testid="rating">
      <h2 id={id}>{title}</h2>
      <p><DifficultyBadge difficulty={rating.difficulty} label={rating.difficulty_label} /> <span class="muted small">{rating.cue_count} cues ({rating.cue_band}), premise {rating.premise.score} ({rating.premise.band})</span></p>
      <ul data-testid="rating-reasons">{rating.reasons.map((r) => <li>{r}</li>)}</ul>
      {observed && <><h3>Observed in campaigns</h3><ObservedBlock observed={observed} rating={rating} /></>}
    </section>
  );
}
