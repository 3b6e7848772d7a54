/* Process exit codes. They are public API, documented in the README: never renumber them. */
#ifndef CUSTOMS_UTIL_EXITCODE_H
#define CUSTOMS_UTIL_EXITCODE_H

enum customs_exit {
	EXIT_PASSED = 0, /* the command succeeded and the policy passed */
	EXIT_POLICY_FAILED = 1, /* the policy failed */
	EXIT_BAD_INPUT = 2, /* usage error or bad input */
	EXIT_DB_STALE = 3, /* the vulnerability database is missing or stale */
	EXIT_VERIFY_FAILED = 4, /* signature or attestation verification failed */
};

#endif
