/* error.h - the project's error codes and their explanations. */
#ifndef TL_UTIL_ERROR_H
#define TL_UTIL_ERROR_H

/* Every function that can fail returns TL_OK or one of these negative codes.
 * Bad input *data* is never an error: it becomes a counted anomaly. */
enum {
	TL_OK = 0,
	TL_ENOMEM = -1,       /* allocation failed (normally we abort instead) */
	TL_EINVAL = -2,       /* bad argument or option */
	TL_EIO = -3,          /* read or write failed */
	TL_ENOENT = -4,       /* file does not exist */
	TL_EACCES = -5,       /* permission denied */
	TL_EFORMAT = -6,      /* file is not in any format we read */
	TL_EUNSUPPORTED = -7, /* format recognised but not supported */
	TL_ELIMIT = -8,       /* a configured cap was reached */
	TL_ESTOP = -9,        /* a callback asked to stop */
	TL_ESIGNATURE = -10,  /* a signature does not cover the bytes it is said to sign */
	TL_EUNTRUSTED = -11,  /* a signer's certificate does not chain to a trusted CA */
	TL_EUSAGE = -12,      /* the command line is wrong (an option or its value) */
	TL_EOUTPUT = -13,     /* an output file could not be written */
	TL_ECASE = -14,       /* the case file, or a file it names, is invalid */
	TL_EEVIDENCE = -15,   /* evidence does not match its expected SHA-256, or changed */
};

/* Returns a static string explaining err; never NULL. */
const char *tl_strerror(int err);

/* Maps an errno value to a TL_E* code. */
int tl_errno_to_err(int errnum);

#endif
