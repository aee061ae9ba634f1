package server

import (
	"context"
	"encoding/json"
	"errors"
	"strings"

	"google.golang.org/genproto/googleapis/rpc/errdetails"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"

	"github.com/gspark/gspark/planner/logical"
	"github.com/gspark/gspark/planner/sql"
)

// errUnsupported marks what gspark's server does not implement; its
// message reads "not supported by gspark: <what>".
var errUnsupported = errors.New("not supported by gspark")

// errInterrupted is the cause of an operation cancelled by Interrupt,
// ReleaseExecute or ReleaseSession.
var errInterrupted = errors.New("operation interrupted")

// sparkClass is how Spark classifies an error: the JVM exception class the
// clients map to their exception types, the error class and SQLSTATE.
type sparkClass struct {
	reason, class, state string
	code                 codes.Code
}

func classify(err error) sparkClass {
	var syntax *sql.SyntaxError
	switch {
	case errors.As(err, &syntax):
		return sparkClass{"org.apache.spark.sql.catalyst.parser.ParseException", "PARSE_SYNTAX_ERROR", "42601", codes.Internal}
	case errors.Is(err, errInterrupted), errors.Is(err, context.Canceled):
		return sparkClass{"org.apache.spark.SparkException", "OPERATION_CANCELED", "HY008", codes.Internal}
	case errors.Is(err, errUnsupported):
		return sparkClass{"org.apache.spark.sql.AnalysisException", "UNSUPPORTED_FEATURE", "0A000", codes.Internal}
	case errors.Is(err, logical.ErrAnalysis), strings.Contains(err.Error(), "cannot resolve"),
		strings.Contains(err.Error(), "unknown column"), strings.Contains(err.Error(), "not found"):
		return sparkClass{"org.apache.spark.sql.AnalysisException", "ANALYSIS_ERROR", "42000", codes.Internal}
	}
	return sparkClass{"org.apache.spark.SparkException", "INTERNAL_ERROR", "XX000", codes.Internal}
}

// toStatus turns an error into the gRPC status Spark's server sends: code
// INTERNAL with an ErrorInfo whose reason is the exception class and whose
// metadata carries errorClass, sqlState, classes and messageParameters,
// which Spark Connect clients read to raise an AnalysisException,
// ParseException and so on.
func toStatus(err error) error {
	if err == nil {
		return nil
	}
	if _, ok := status.FromError(err); ok {
		return err
	}
	c := classify(err)
	msg := err.Error()
	params, _ := json.Marshal(map[string]string{"message": msg})
	classes, _ := json.Marshal([]string{c.reason})
	st := status.New(c.code, msg)
	withInfo, derr := st.WithDetails(&errdetails.ErrorInfo{
		Reason: c.reason,
		Domain: "org.apache.spark",
		Metadata: map[string]string{
			"classes":           string(classes),
			"errorClass":        c.class,
			"sqlState":          c.state,
			"messageParameters": string(params),
		},
	})
	if derr != nil {
		return st.Err()
	}
	return withInfo.Err()
}
