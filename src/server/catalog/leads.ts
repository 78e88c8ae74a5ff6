import type { FieldSpec, StreamSpec } from './types';

/**
 * Lead Gen Form responses of ad accounts (LinkedIn's Lead Sync API) as data. A row per answer
 * of each response, keyed by response and question: questions added to, or removed from, a form
 * add or stop rows, never columns, so a tab holds every form of every account under one header.
 * The connector builds one row element per answer; its keys are the field keys.
 */

const field = (
  key: string,
  label: string,
  type: FieldSpec['type'],
  group: string,
  description: string,
  byDefault = true,
): FieldSpec => ({ key, label, type, group, description, byDefault });

/** LinkedIn keeps form responses for 365 days (its Lead Sync Postman collection): older starts move up. */
export const LEAD_HISTORY_DAYS = 365;

export const LEAD_FORM_RESPONSES: StreamSpec = {
  id: 'lead_form_responses',
  source: 'ads',
  product: 'leads',
  fetch: 'ad-leads',
  // "Lead Sync: APIs to retrieve lead gen forms and form response (lead) data. Permission
  // required is r_marketing_leadgen_automation" (LinkedIn's Lead Sync access page).
  scopes: ['r_marketing_leadgen_automation'],
  leads: {
    owner: { param: 'owner', member: 'sponsoredAccount' },
    // Sponsored leads only: the other lead types (EVENT, COMPANY, ORGANIZATION_PRODUCT) belong to
    // organizations, not ad accounts.
    responses: {
      path: 'leadFormResponses',
      q: 'owner',
      fixed: { leadType: { leadType: 'SPONSORED' } },
      timeRange: 'submittedAtTimeRange',
    },
    forms: { path: 'leadForms', q: 'owner' },
    // LinkedIn's pages show count=10 and document no largest count: 100, as public clients ask.
    pageSize: 100,
  },
  dated: true,
  historyDays: LEAD_HISTORY_DAYS,
  throughToday: true,
  label: 'Lead form responses',
  description:
    'What members submitted on your Lead Gen Forms: a row per answer, with its form, campaign and question (last 12 months).',
  key: ['response_id', 'question_id'],
  fields: [
    field(
      'submitted_at',
      'Submitted at',
      'datetime',
      'Response',
      'When the member submitted the form (UTC).',
    ),
    field('response_id', 'Response ID', 'id', 'Response', 'LinkedIn’s id of the response (the lead).'),
    field('account_id', 'Ad account ID', 'id', 'Response', 'The ad account that owns the form.'),
    field('form_id', 'Form ID', 'id', 'Form', 'The lead gen form.'),
    field('form_name', 'Form', 'text', 'Form', 'The form’s name.'),
    field('form_version', 'Form version', 'integer', 'Form', 'The version of the form answered.', false),
    field('campaign_id', 'Campaign ID', 'id', 'Ad', 'The campaign whose ad the form was opened from.'),
    field(
      'campaign_name',
      'Campaign',
      'text',
      'Ad',
      'The campaign’s name, from the accounts’ campaigns (needs Ads access besides Lead forms).',
    ),
    field('creative_id', 'Creative ID', 'id', 'Ad', 'The ad (creative) the form was opened from.', false),
    field('question_id', 'Question ID', 'id', 'Answer', 'The question, or consent-N for a consent checkbox.'),
    field(
      'predefined_field',
      'Field',
      'text',
      'Answer',
      'What a profile question asks (FIRST_NAME, EMAIL, COMPANY_NAME…), the same in every language; CONSENT for a consent checkbox; blank for a custom question.',
    ),
    field(
      'question',
      'Question',
      'text',
      'Answer',
      'The question as the form shows it, in the form’s language.',
    ),
    field(
      'answer',
      'Answer',
      'text',
      'Answer',
      'The answer; the options chosen of a multiple-choice question.',
    ),
    field(
      'test_lead',
      'Test lead',
      'boolean',
      'Response',
      'Whether it is a test lead made in Campaign Manager.',
    ),
  ],
};
