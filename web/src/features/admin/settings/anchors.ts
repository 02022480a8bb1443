/** The anchors of the single sign-on sections of "Réglages" (the journal links to them). */
export const OIDC_ANCHOR = 'reglages-authentification-unique';
export const PROXY_AUTH_ANCHOR = 'reglages-proxy-authentification';
