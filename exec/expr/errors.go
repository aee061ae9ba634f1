package expr

import "errors"

// ErrOverflow is wrapped by errors for results that do not fit their type.
var ErrOverflow = errors.New("arithmetic overflow")

// ErrDivideByZero is wrapped by errors for division or remainder by zero.
var ErrDivideByZero = errors.New("division by zero")

// ErrInvalidCast is wrapped by errors for values a cast cannot convert.
var ErrInvalidCast = errors.New("invalid value")
