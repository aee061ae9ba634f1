package expr

import (
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"
)

// CheckDate reports why year y, month m and day d name no calendar date
// (Spark's DATETIME_FIELD_OUT_OF_BOUNDS), or nil when they name one: "month
// 13 is out of range 1 to 12", "February 2023 has 28 days, not 29".
func CheckDate(y, m, d int64) error {
	if m < 1 || m > 12 {
		return fmt.Errorf("month %d is out of range 1 to 12", m)
	}
	if d < 1 || d > 31 {
		return fmt.Errorf("day %d is out of range 1 to 31", d)
	}
	// Day 0 of the next month is the last day of month m.
	days := int64(time.Date(int(y), time.Month(m)+1, 0, 0, 0, 0, 0, time.UTC).Day())
	if d > days {
		return fmt.Errorf("%s %d has %d days, not %d", time.Month(m), y, days, d)
	}
	return nil
}

// DateTextError explains why text s is not a date of the form yyyy-mm-dd:
// the field out of range when s has that shape (CheckDate), else that the
// form is wrong. It returns nil when s is a valid date of that form.
func DateTextError(s string) error {
	parts := strings.Split(strings.TrimSpace(s), "-")
	var f [3]int64
	ok := len(parts) == 3 && len(parts[0]) == 4
	for i := 0; ok && i < 3; i++ {
		p := parts[i]
		ok = p != "" && len(p) <= 4 && strings.Trim(p, "0123456789") == ""
		if ok {
			f[i], _ = strconv.ParseInt(p, 10, 64)
		}
	}
	if !ok {
		return errors.New("expected the form yyyy-mm-dd")
	}
	return CheckDate(f[0], f[1], f[2])
}

// InvalidValuef returns an error that is ErrInvalidCast (errors.Is) but
// reads as just the formatted message, for errors whose text already says
// what is invalid.
func InvalidValuef(format string, args ...any) error {
	return &invalidValueError{msg: fmt.Sprintf(format, args...)}
}

type invalidValueError struct{ msg string }

func (e *invalidValueError) Error() string { return e.msg }

// Is makes the error match ErrInvalidCast, so try_ forms turn it into null.
func (e *invalidValueError) Is(target error) bool { return target == ErrInvalidCast }
