package functions

import "github.com/gspark/gspark/frame"

// RegexpExtractAll is every match of pattern in c, group idx of each (0 for
// the whole match), as an ARRAY<STRING>: Spark's regexp_extract_all.
func RegexpExtractAll(c frame.Column, pattern string, idx int) frame.Column {
	return frame.Call("regexp_extract_all", c, frame.Lit(pattern), frame.Lit(idx))
}

// ToBinary is the BINARY that c stands for in format ("hex", "utf-8" or
// "base64"); malformed text is an error.
func ToBinary(c frame.Column, format string) frame.Column {
	return frame.Call("to_binary", c, frame.Lit(format))
}

// TryToBinary is ToBinary with NULL for malformed text or an unknown
// format.
func TryToBinary(c frame.Column, format string) frame.Column {
	return frame.Call("try_to_binary", c, frame.Lit(format))
}

// IsValidUTF8 reports whether the bytes of c (a STRING or BINARY) are
// well-formed UTF-8.
func IsValidUTF8(c frame.Column) frame.Column { return frame.Call("is_valid_utf8", c) }

// MakeValidUTF8 is c as a STRING with each maximal ill-formed UTF-8
// subsequence replaced by U+FFFD.
func MakeValidUTF8(c frame.Column) frame.Column { return frame.Call("make_valid_utf8", c) }

// ValidateUTF8 is c as a STRING; ill-formed UTF-8 is an error.
func ValidateUTF8(c frame.Column) frame.Column { return frame.Call("validate_utf8", c) }

// TryValidateUTF8 is c as a STRING, NULL where it is ill-formed UTF-8.
func TryValidateUTF8(c frame.Column) frame.Column { return frame.Call("try_validate_utf8", c) }

// XxHash64 is Spark's xxhash64 (XXH64, seed 42) of cols as a BIGINT.
func XxHash64(cols ...frame.Column) frame.Column { return frame.Call("xxhash64", cols...) }

// Uniform is a random value in [min, max) from a generator seeded with
// seed: an integer for integer bounds, else a DOUBLE, FLOAT or DECIMAL.
func Uniform(min, max any, seed int64) frame.Column {
	return frame.Call("uniform", frame.Lit(min), frame.Lit(max), frame.Lit(seed))
}

// RandStr is a random string of length characters from 0-9, a-z and A-Z,
// from a generator seeded with seed.
func RandStr(length int32, seed int64) frame.Column {
	return frame.Call("randstr", frame.Lit(length), frame.Lit(seed))
}

// TryMakeInterval is MakeInterval with NULL where a part is out of range.
func TryMakeInterval(parts ...frame.Column) frame.Column {
	return frame.Call("try_make_interval", parts...)
}

// AesEncrypt is input encrypted with AES under key (16, 24 or 32 bytes) in
// mode ("GCM", "CBC" or "ECB") with padding ("DEFAULT", "NONE" or "PKCS"),
// a random IV before the ciphertext, as Spark's aes_encrypt.
func AesEncrypt(input, key frame.Column, mode, padding string) frame.Column {
	return frame.Call("aes_encrypt", input, key, frame.Lit(mode), frame.Lit(padding))
}

// AesDecrypt is the plaintext of what AesEncrypt made; input that does not
// decrypt is an error.
func AesDecrypt(input, key frame.Column, mode, padding string) frame.Column {
	return frame.Call("aes_decrypt", input, key, frame.Lit(mode), frame.Lit(padding))
}

// TryAesDecrypt is AesDecrypt with NULL instead of any error.
func TryAesDecrypt(input, key frame.Column, mode, padding string) frame.Column {
	return frame.Call("try_aes_decrypt", input, key, frame.Lit(mode), frame.Lit(padding))
}

// RegexpInstrGroup is regexp_instr(c, pattern, idx): as in Spark 4.0 the
// group index is accepted and the answer is where the whole first match
// starts (1-based), 0 when none.
func RegexpInstrGroup(c frame.Column, pattern string, idx int) frame.Column {
	return frame.Call("regexp_instr", c, frame.Lit(pattern), frame.Lit(idx))
}
