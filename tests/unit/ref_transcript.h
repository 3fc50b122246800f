/* ref_transcript: turn the replies in ../shared/reference transcripts (as
 * redis-cli displays them: "N) value", nested by indentation) back into
 * hiredis reply trees, so parsers are tested on what a real valkey-search
 * answered.  Test-only code. */
#ifndef REF_TRANSCRIPT_H
#define REF_TRANSCRIPT_H

#include <hiredis/hiredis.h>

/* The reply that follows the prompt line "<...> <command>" (exact text after
 * "> ") in file (a name under $VM_REFERENCE/valkey-search-1.0.3), or NULL. */
redisReply *ref_reply(const char *file, const char *command);

#endif
