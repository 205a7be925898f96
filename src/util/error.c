/* error.c - explanations of the TL_E* codes. */
#include "util/error.h"

#include <errno.h>

const char *tl_strerror(int err)
{
	switch (err) {
	case TL_OK: return "success";
	case TL_ENOMEM: return "out of memory";
	case TL_EINVAL: return "invalid argument";
	case TL_EIO: return "input/output error";
	case TL_ENOENT: return "no such file or directory";
	case TL_EACCES: return "permission denied";
	case TL_EFORMAT: return "not a capture or log format tealeaves reads";
	case TL_EUNSUPPORTED: return "unsupported format";
	case TL_ELIMIT: return "configured limit reached";
	case TL_ESTOP: return "stopped by caller";
	case TL_ESIGNATURE: return "the signature does not match the signed file";
	case TL_EUNTRUSTED: return "the signer's certificate is not trusted";
	case TL_EUSAGE: return "bad command line";
	case TL_EOUTPUT: return "output not written";
	case TL_ECASE: return "invalid case file";
	case TL_EEVIDENCE: return "evidence does not match its expected SHA-256";
	}
	return "unknown error";
}

int tl_errno_to_err(int errnum)
{
	switch (errnum) {
	case ENOENT: case ENOTDIR: return TL_ENOENT;
	case EACCES: case EPERM: return TL_EACCES;
	case ENOMEM: return TL_ENOMEM;
	case EISDIR: return TL_EFORMAT;
	default: return TL_EIO;
	}
}
