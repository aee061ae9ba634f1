package strfn

import (
	"crypto/aes"
	"crypto/cipher"
	"crypto/rand"
	"errors"
	"fmt"
	"strings"

	"github.com/gspark/gspark/exec/expr"
)

// ErrAES is wrapped by the errors of aes_encrypt and aes_decrypt: a key of
// the wrong length, an unsupported mode, an initialization vector or
// additional data the mode does not take, or input that does not decrypt.
var ErrAES = errors.New("AES error")

// aesMode is a supported (mode, padding) pair of Spark's aes functions.
type aesMode int

const (
	aesGCM aesMode = iota // GCM, no padding
	aesCBC                // CBC, PKCS#5 padding
	aesECB                // ECB, PKCS#5 padding
)

// parseAESMode reads a mode and padding as Spark does (any case; DEFAULT
// padding is NONE for GCM and PKCS otherwise).
func parseAESMode(fn string, mode, padding []byte) (aesMode, error) {
	m, p := strings.ToUpper(string(mode)), strings.ToUpper(string(padding))
	switch {
	case m == "GCM" && (p == "NONE" || p == "DEFAULT"):
		return aesGCM, nil
	case m == "CBC" && (p == "PKCS" || p == "DEFAULT"):
		return aesCBC, nil
	case m == "ECB" && (p == "PKCS" || p == "DEFAULT"):
		return aesECB, nil
	}
	return 0, fmt.Errorf("[UNSUPPORTED_FEATURE.AES_MODE] The feature is not supported: AES-%s with the padding %s by the `%s` function (supported: ('ECB', 'PKCS'), ('GCM', 'NONE'), ('CBC', 'PKCS')): %w",
		string(mode), string(padding), fn, ErrAES)
}

// aesBlock checks the key length and returns the block cipher.
func aesBlock(fn string, key []byte) (cipher.Block, error) {
	switch len(key) {
	case 16, 24, 32:
	default:
		return nil, fmt.Errorf("[INVALID_PARAMETER_VALUE.AES_KEY_LENGTH] The value of parameter(s) `key` in `%s` is invalid: expects a binary value with 16, 24 or 32 bytes, but got %d bytes: %w",
			fn, len(key), ErrAES)
	}
	return aes.NewCipher(key)
}

// pkcsPad appends the PKCS#5 padding of a message of n bytes to dst.
func pkcsPad(dst []byte, n int) []byte {
	p := aes.BlockSize - n%aes.BlockSize
	for range p {
		dst = append(dst, byte(p))
	}
	return dst
}

// pkcsUnpad strips the PKCS#5 padding of b.
func pkcsUnpad(b []byte) ([]byte, bool) {
	if len(b) == 0 || len(b)%aes.BlockSize != 0 {
		return nil, false
	}
	p := int(b[len(b)-1])
	if p == 0 || p > aes.BlockSize || p > len(b) {
		return nil, false
	}
	for _, c := range b[len(b)-p:] {
		if int(c) != p {
			return nil, false
		}
	}
	return b[:len(b)-p], true
}

// aesEncrypt encrypts in as Spark's aes_encrypt: GCM output is the 12-byte
// IV, the ciphertext and the 16-byte tag; CBC output the 16-byte IV and the
// padded ciphertext; ECB output the padded ciphertext. An empty iv is drawn
// at random.
func aesEncrypt(dst, in, key, mode, padding, iv, aad []byte) ([]byte, error) {
	const fn = "aes_encrypt"
	m, err := parseAESMode(fn, mode, padding)
	if err != nil {
		return nil, err
	}
	block, err := aesBlock(fn, key)
	if err != nil {
		return nil, err
	}
	if len(aad) > 0 && m != aesGCM {
		return nil, fmt.Errorf("[UNSUPPORTED_FEATURE.AES_MODE_AAD] The feature is not supported: %s with AES-%s does not support additional authenticated data (AAD): %w", fn, strings.ToUpper(string(mode)), ErrAES)
	}
	switch m {
	case aesGCM:
		gcm, err := cipher.NewGCM(block)
		if err != nil {
			return nil, fmt.Errorf("%s: %v: %w", fn, err, ErrAES)
		}
		if iv, err = aesIV(fn, "GCM", iv, gcm.NonceSize()); err != nil {
			return nil, err
		}
		dst = append(dst, iv...)
		return gcm.Seal(dst, iv, in, aad), nil
	case aesCBC:
		if iv, err = aesIV(fn, "CBC", iv, aes.BlockSize); err != nil {
			return nil, err
		}
		dst = append(dst, iv...)
		start := len(dst)
		dst = pkcsPad(append(dst, in...), len(in))
		cipher.NewCBCEncrypter(block, iv).CryptBlocks(dst[start:], dst[start:])
		return dst, nil
	default:
		if len(iv) > 0 {
			return nil, fmt.Errorf("[UNSUPPORTED_FEATURE.AES_MODE_IV] The feature is not supported: %s with AES-ECB does not support initialization vectors (IVs): %w", fn, ErrAES)
		}
		start := len(dst)
		dst = pkcsPad(append(dst, in...), len(in))
		for i := start; i < len(dst); i += aes.BlockSize {
			block.Encrypt(dst[i:], dst[i:])
		}
		return dst, nil
	}
}

// aesIV returns iv, or a random one of n bytes when iv is empty; an iv of
// another length is an error.
func aesIV(fn, mode string, iv []byte, n int) ([]byte, error) {
	if len(iv) == 0 {
		iv = make([]byte, n)
		if _, err := rand.Read(iv); err != nil {
			return nil, fmt.Errorf("%s: drawing an initialization vector: %w", fn, err)
		}
		return iv, nil
	}
	if len(iv) != n {
		return nil, fmt.Errorf("[INVALID_PARAMETER_VALUE.AES_IV_LENGTH] The value of parameter(s) `iv` in `%s` is invalid: AES-%s supports %d-byte initialization vectors, but got %d bytes: %w", fn, mode, n, len(iv), ErrAES)
	}
	return iv, nil
}

// aesDecrypt decrypts in as Spark's aes_decrypt, reading the IV aes_encrypt
// put before the ciphertext.
func aesDecrypt(dst, in, key, mode, padding, aad []byte, fn string) ([]byte, error) {
	m, err := parseAESMode(fn, mode, padding)
	if err != nil {
		return nil, err
	}
	block, err := aesBlock(fn, key)
	if err != nil {
		return nil, err
	}
	if len(aad) > 0 && m != aesGCM {
		return nil, fmt.Errorf("[UNSUPPORTED_FEATURE.AES_MODE_AAD] The feature is not supported: %s with AES-%s does not support additional authenticated data (AAD): %w", fn, strings.ToUpper(string(mode)), ErrAES)
	}
	cryptoErr := func(detail string) error {
		return fmt.Errorf("[INVALID_PARAMETER_VALUE.AES_CRYPTO_ERROR] The value of parameter(s) `expr`, `key` in `%s` is invalid: detail message: %s: %w", fn, detail, ErrAES)
	}
	switch m {
	case aesGCM:
		gcm, err := cipher.NewGCM(block)
		if err != nil {
			return nil, cryptoErr(err.Error())
		}
		if len(in) < gcm.NonceSize()+gcm.Overhead() {
			return nil, cryptoErr("the input is shorter than an IV and a tag")
		}
		out, err := gcm.Open(dst, in[:gcm.NonceSize()], in[gcm.NonceSize():], aad)
		if err != nil {
			return nil, cryptoErr("Tag mismatch")
		}
		return out, nil
	case aesCBC:
		if len(in) < aes.BlockSize || (len(in)-aes.BlockSize)%aes.BlockSize != 0 {
			return nil, cryptoErr("the input is not an IV followed by whole 16-byte blocks")
		}
		start := len(dst)
		dst = append(dst, in[aes.BlockSize:]...)
		cipher.NewCBCDecrypter(block, in[:aes.BlockSize]).CryptBlocks(dst[start:], dst[start:])
		plain, ok := pkcsUnpad(dst[start:])
		if !ok {
			return nil, cryptoErr("Given final block not properly padded")
		}
		return dst[:start+len(plain)], nil
	default:
		if len(in)%aes.BlockSize != 0 {
			return nil, cryptoErr("the input is not whole 16-byte blocks")
		}
		start := len(dst)
		dst = append(dst, in...)
		for i := start; i < len(dst); i += aes.BlockSize {
			block.Decrypt(dst[i:], dst[i:])
		}
		plain, ok := pkcsUnpad(dst[start:])
		if !ok {
			return nil, cryptoErr("Given final block not properly padded")
		}
		return dst[:start+len(plain)], nil
	}
}

// AESEncrypt returns aes_encrypt(input, key, mode, padding, iv, aad), a
// binary: input encrypted with AES in mode (GCM, CBC or ECB) with padding
// (NONE for GCM, PKCS for the others, or DEFAULT), the IV (12 bytes for
// GCM, 16 for CBC; random when empty) before the ciphertext, as Spark lays
// it out.
func AESEncrypt(input, key, mode, padding, iv, aad expr.Expr) (expr.Expr, error) {
	return newBytesRow(&bytesRow{name: "aes_encrypt", args: []expr.Expr{input, key, mode, padding, iv, aad}, typ: binaryType,
		row: func(v [][]byte, dst []byte) ([]byte, bool, error) {
			out, err := aesEncrypt(dst, v[0], v[1], v[2], v[3], v[4], v[5])
			return out, err == nil, err
		}})
}

// AESDecrypt returns aes_decrypt(input, key, mode, padding, aad) (try
// false): the plaintext of what aes_encrypt made; input that does not
// decrypt is an error. try_aes_decrypt (try true) answers NULL instead of
// any error.
func AESDecrypt(input, key, mode, padding, aad expr.Expr, try bool) (expr.Expr, error) {
	name := "aes_decrypt"
	if try {
		name = "try_aes_decrypt"
	}
	return newBytesRow(&bytesRow{name: name, args: []expr.Expr{input, key, mode, padding, aad}, typ: binaryType,
		row: func(v [][]byte, dst []byte) ([]byte, bool, error) {
			out, err := aesDecrypt(dst, v[0], v[1], v[2], v[3], v[4], "aes_decrypt")
			if err != nil && try {
				return dst, false, nil
			}
			return out, err == nil, err
		}})
}
