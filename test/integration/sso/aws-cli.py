# The AWS CLI's own code (Debian's AWS CLI v2, run with its interpreter) on the SSO token cache:
#   login ENDPOINT START_URL REGION [SESSION_NAME]  `aws sso login`'s device-code sign-in, pointed at
#       the sandbox (this CLI version has no endpoint setting for SSO OIDC); prints the page to approve.
#   token PROFILE  what the CLI's SSO token provider loads for an sso-session profile (as a SHA-256).
import hashlib
import sys

import awscli  # noqa: F401  (makes `botocore` the CLI's own copy)
import botocore.session
from awscli.customizations.sso.utils import do_sso_login
from botocore.tokens import SSOTokenProvider

mode = sys.argv[1]
if mode == 'login':
    endpoint, start_url, region = sys.argv[2:5]
    session_name = sys.argv[5] if len(sys.argv) > 5 else None
    session = botocore.session.Session()
    create_client = session.create_client
    session.create_client = lambda service, *a, **kw: create_client(service, *a, endpoint_url=endpoint, **kw)

    def on_pending(verificationUriComplete, **_):
        print(verificationUriComplete, flush=True)

    do_sso_login(session, region, start_url, on_pending_authorization=on_pending, session_name=session_name,
                 registration_scopes=['sso:account:access'] if session_name else None)
    print('signed in', flush=True)
elif mode == 'token':
    token = SSOTokenProvider(botocore.session.Session(profile=sys.argv[2])).load_token().get_frozen_token()
    print(hashlib.sha256(token.token.encode()).hexdigest(), flush=True)
