/**
 * What a user can connect, each granted by a LinkedIn API product their app must have approved:
 * LinkedIn refuses a whole sign-in that asks for a scope of a product the app lacks, so each is
 * asked only when ticked. Kept apart from the catalog so the sidebar can name them.
 */
export const PRODUCTS = ['ads', 'pages', 'leads'] as const;
export type Product = (typeof PRODUCTS)[number];

export const PRODUCT_NAMES: Record<Product, { label: string; access: string; linkedIn: string }> = {
  ads: { label: 'Ads', access: 'Ads reporting', linkedIn: 'Advertising API' },
  pages: { label: 'Pages', access: 'Pages statistics and posts', linkedIn: 'Community Management API' },
  // LinkedIn's Lead Sync pages: "Lead Sync API is a separate program, and access to the Advertising
  // API does not automatically grant access" (docs/linkedin-api.md, "Lead form responses").
  leads: { label: 'Lead forms', access: 'Lead Gen Form responses', linkedIn: 'Lead Sync API' },
};

/** The connection panel's button that signs in again with the product's access added. */
export const addAccessCaption = (product: Product) => `Add ${PRODUCT_NAMES[product].label} access`;

const LABELS = PRODUCTS.map((product) => PRODUCT_NAMES[product].label);
/** The choice in words, “Ads, Pages or Lead forms”, for messages asking to tick at least one. */
export const PRODUCT_CHOICES = `${LABELS.slice(0, -1).join(', ')} or ${LABELS[LABELS.length - 1]}`;
