package functions

import "github.com/gspark/gspark/frame"

// InputFileName is input_file_name(): the URI of the file (Parquet, CSV,
// JSON lines, LIBSVM) the row was read from, empty when the row does not
// come straight from a file scan.
func InputFileName() frame.Column { return frame.Call("input_file_name") }

// InputFileBlockStart is input_file_block_start(): the start of the block
// of the file the row was read from (0: gspark reads whole files), -1 when
// not from a file.
func InputFileBlockStart() frame.Column { return frame.Call("input_file_block_start") }

// InputFileBlockLength is input_file_block_length(): the length of the
// block of the file the row was read from (the file's length), -1 when not
// from a file.
func InputFileBlockLength() frame.Column { return frame.Call("input_file_block_length") }
