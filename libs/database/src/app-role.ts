/**
 * The role request transactions run as (`SET LOCAL ROLE`, see UnitOfWork): it owns no table and
 * has no BYPASSRLS, so row-level security always applies. Created by the row-level-security
 * migration; the user DATABASE_URL names must be a member (or a superuser).
 */
export const APP_ROLE = 'allmende_app';
