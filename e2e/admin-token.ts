/** The bootstrap admin token the e2e server is started with (a throwaway local database). */
export const E2E_ADMIN_TOKEN = "sy_api_e2e-bootstrap-token-0123456789";
