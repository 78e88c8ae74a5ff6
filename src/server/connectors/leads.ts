import { LEAD_FORM_RESPONSES } from '../catalog/leads';
import { findStream, productOf } from '../catalog/streams';
import { columnsFor, type LeadsFinder } from '../catalog/types';
import type { ApiCall, LinkedInClient } from '../linkedin/client';
import { lacksScopes } from '../linkedin/api';
import { LinkedInError } from '../linkedin/errors';
import { addAccessCaption } from '../linkedin/products';
import type { RestliValue } from '../linkedin/restli';
import { DAY_MS, dayNumber, isoDate } from '../dates';
import { type Cell, readField, urnId } from '../rows';
import { fetchEntities, type Table } from './ads';
import { ACCOUNT_URN } from './ads-analytics';
import { streamRefused } from './refusal';

/** LinkedIn's MultiLocaleString: a form's texts come in the form's one language. */
interface Localized {
  localized?: Record<string, string>;
}

export interface LeadForm {
  id: number | string;
  name?: string;
  content?: {
    questions?: Array<{
      questionId: number;
      name?: string;
      question?: Localized;
      predefinedField?: string;
      questionDetails?: {
        multipleChoiceQuestionDetails?: { options?: Array<{ id: number; text?: Localized }> };
      };
    }>;
    legalInfo?: { consents?: Array<{ id: number; consent?: Localized }> };
  };
}

export interface LeadResponse {
  id: string;
  submittedAt: number;
  owner?: { sponsoredAccount?: string };
  versionedLeadGenFormUrn?: string;
  leadMetadata?: { sponsoredLeadMetadata?: { campaign?: string } };
  associatedEntity?: { associatedCreative?: string };
  testLead?: boolean;
  formResponse?: {
    answers?: Array<{
      questionId: number;
      answerDetails?: {
        textQuestionAnswer?: { answer?: string };
        multipleChoiceAnswer?: { options?: number[] };
      };
    }>;
    consentResponses?: Array<{ consentId: number; accepted?: boolean }>;
  };
}

type Row = Record<string, Cell | undefined>;

const textOf = (text: Localized | undefined): string | undefined => Object.values(text?.localized ?? {})[0];
const idOf = (urn: string | undefined) => (urn ? urnId(urn) : undefined);

/** `urn:li:versionedLeadGenForm:(urn:li:leadGenForm:7234246,1)`: the form's id and the version answered. */
export function formOf(urn: string | undefined): { id: string | undefined; version: number | undefined } {
  const parts = /leadGenForm:(\d+),(\d+)\)$/.exec(urn ?? '');
  return { id: parts?.[1], version: parts ? Number(parts[2]) : undefined };
}

/**
 * A row element per answer and per consent of each response, its keys the catalog's field keys.
 * Questions are named from the response's form as the forms finder gives it (its current
 * version): a question a later version dropped keeps its id, unnamed.
 */
export function leadRows(responses: LeadResponse[], forms: LeadForm[]): Row[] {
  const formsById = new Map(forms.map((form) => [String(form.id), form]));
  return responses.flatMap((response) => {
    const form = formOf(response.versionedLeadGenFormUrn);
    const definition = form.id === undefined ? undefined : formsById.get(form.id);
    const questions = new Map(
      (definition?.content?.questions ?? []).map((question) => [question.questionId, question]),
    );
    const consents = new Map(
      (definition?.content?.legalInfo?.consents ?? []).map((consent) => [consent.id, consent]),
    );
    const common: Row = {
      submitted_at: new Date(response.submittedAt).toISOString(),
      response_id: response.id,
      account_id: idOf(response.owner?.sponsoredAccount),
      form_id: form.id,
      form_name: definition?.name,
      form_version: form.version,
      campaign_id: idOf(response.leadMetadata?.sponsoredLeadMetadata?.campaign),
      creative_id: idOf(response.associatedEntity?.associatedCreative),
      test_lead: response.testLead === true,
    };
    const answers = (response.formResponse?.answers ?? []).map((answer): Row => {
      const question = questions.get(answer.questionId);
      const options = question?.questionDetails?.multipleChoiceQuestionDetails?.options ?? [];
      const chosen = answer.answerDetails?.multipleChoiceAnswer?.options;
      return {
        ...common,
        question_id: String(answer.questionId),
        predefined_field: question?.predefinedField,
        question: textOf(question?.question) ?? question?.name,
        answer: chosen
          ? chosen
              .map((id) => textOf(options.find((option) => option.id === id)?.text) ?? String(id))
              .join(', ')
          : answer.answerDetails?.textQuestionAnswer?.answer,
      };
    });
    const consentAnswers = (response.formResponse?.consentResponses ?? []).map((consent): Row => ({
      ...common,
      question_id: `consent-${consent.consentId}`,
      predefined_field: 'CONSENT',
      question: textOf(consents.get(consent.consentId)?.consent),
      answer: consent.accepted ? 'Accepted' : 'Not accepted',
    }));
    return [...answers, ...consentAnswers];
  });
}

export interface LeadsQuery {
  accountIds: string[];
  startDate: string;
  endDate: string;
  fields: string[];
  /** The scopes LinkedIn granted the connection, as its token says; empty when it did not say. */
  grantedScopes: readonly string[];
}

/**
 * The names of the responses' campaigns, read from the accounts' campaigns after the responses
 * (only when the Campaign column is asked and a response names a campaign). They need the Ads
 * entity streams' access, which the Lead forms product does not grant: without it (as the token
 * says, or as LinkedIn refuses) the column stays blank and the run says why.
 */
function campaignNames(
  client: LinkedInClient,
  query: LeadsQuery,
  responses: LeadResponse[],
): { names: Map<string, string>; note: string | null } {
  const named = { names: new Map<string, string>(), note: null };
  if (!query.fields.includes('campaign_name')) return named;
  if (!responses.some((response) => response.leadMetadata?.sponsoredLeadMetadata?.campaign)) return named;
  const campaignsSpec = findStream('ads', 'campaigns')!;
  const { scopes } = campaignsSpec;
  const refused = (why: string) => ({
    names: new Map<string, string>(),
    note: `${why}: the Campaign column is blank; click “${addAccessCaption(productOf(campaignsSpec))}” in the LinkedIn connection panel to name them. Everything else is as LinkedIn sent it.`,
  });
  if (lacksScopes(query.grantedScopes, scopes))
    return refused(
      `Campaign names need Ads access (the ${scopes.join(', ')} scope), which this connection does not have`,
    );
  try {
    const campaigns = fetchEntities(client, 'campaigns', query.accountIds);
    return {
      names: new Map(campaigns.map((campaign) => [String(campaign.id), String(campaign.name ?? '')])),
      note: null,
    };
  } catch (error) {
    if (!(error instanceof LinkedInError) || error.kind !== 'permission') throw error;
    return refused('LinkedIn refused the campaigns of these ad accounts');
  }
}

/**
 * The submission times a run asks: its days, up to now, from no earlier than LinkedIn keeps
 * responses (an older start moves up, with a note). Whether LinkedIn's `end` is exclusive is not
 * documented: rows are upserted by key, so a response read twice at a boundary is written once.
 */
export function submittedRange(
  query: Pick<LeadsQuery, 'startDate' | 'endDate'>,
  now: number,
): { start: number; end: number; note: string | null } {
  const earliest = Math.ceil((now - LEAD_FORM_RESPONSES.historyDays! * DAY_MS) / DAY_MS) * DAY_MS;
  const asked = dayNumber(query.startDate) * DAY_MS;
  const start = Math.max(asked, earliest);
  // LinkedIn takes whole epoch milliseconds.
  const end = Math.min((dayNumber(query.endDate) + 1) * DAY_MS, Math.floor(now));
  const kept = 'LinkedIn keeps lead form responses for 12 months';
  const note =
    start >= end
      ? `${kept}, from ${isoDate(earliest)}: none of ${query.startDate} to ${query.endDate} is kept.`
      : asked < earliest
        ? `${kept}: rows start on ${isoDate(earliest)}, not ${query.startDate}.`
        : null;
  return { start, end, note };
}

/**
 * Every response of the accounts submitted in the run's range, with the forms that name their
 * questions: every account's responses and forms paged side by side, their first pages in one
 * round trip.
 */
export function fetchLeads(
  client: LinkedInClient,
  query: LeadsQuery,
  now: number,
): Table & { note: string | null } {
  const spec = LEAD_FORM_RESPONSES;
  const endpoints = spec.leads!;
  const columns = columnsFor(spec, query.fields);
  const range = submittedRange(query, now);
  if (range.start >= range.end) return { columns, rows: [], note: range.note };
  const call = (
    finder: LeadsFinder,
    accountId: string,
    extra: Record<string, RestliValue> = {},
  ): ApiCall => ({
    path: finder.path,
    query: {
      q: finder.q,
      [endpoints.owner.param]: { [endpoints.owner.member]: `${ACCOUNT_URN}${accountId}` },
      ...finder.fixed,
      ...extra,
    },
  });
  const calls = [
    ...query.accountIds.map((id) =>
      call(endpoints.responses, id, {
        [endpoints.responses.timeRange]: { start: range.start, end: range.end },
      }),
    ),
    ...query.accountIds.map((id) => call(endpoints.forms, id)),
  ];
  let pages: unknown[][];
  try {
    pages = client.collectOffsetPages<unknown>(calls, endpoints.pageSize);
  } catch (error) {
    if (!(error instanceof LinkedInError) || error.kind !== 'permission') throw error;
    throw streamRefused(
      spec,
      'a role on the ad account (and, on its company page, an admin or Lead Gen Forms manager role)',
      error.status,
    );
  }
  const responses = pages.slice(0, query.accountIds.length).flat() as LeadResponse[];
  const forms = pages.slice(query.accountIds.length).flat() as LeadForm[];
  const campaigns = campaignNames(client, query, responses);
  const rows = leadRows(responses, forms).map((row) => ({
    ...row,
    campaign_name: row.campaign_id === undefined ? undefined : campaigns.names.get(String(row.campaign_id)),
  }));
  return {
    columns,
    rows: rows.map((row) => columns.map((field) => readField(row, field))),
    note: [range.note, campaigns.note].filter(Boolean).join(' ') || null,
  };
}
