package datefn

import (
	"testing"

	"github.com/gspark/gspark/exec/exectest"
	"github.com/gspark/gspark/exec/expr"
)

// TestSparkDocExamples checks the examples of the Spark SQL function
// reference (spark.apache.org/docs/latest/api/sql/), hand-checked; string
// arguments are written as the date or timestamp literal Spark casts them to.
// Examples the docs give in America/Los_Angeles are converted to UTC.
func TestSparkDocExamples(t *testing.T) {
	mem := exectest.Alloc(t)
	must := func(e expr.Expr, err error) expr.Expr {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
		return e
	}
	d, ts, s, i := func(v string) expr.Expr { return dateLit(t, v) }, func(v string) expr.Expr { return tsLit(t, v) },
		func(v string) expr.Expr { return strLit(t, v) }, func(v int64) expr.Expr { return intLit(t, v) }
	cases := []struct {
		doc  string
		e    expr.Expr
		want string
	}{
		{"SELECT quarter('2016-08-31') → 3", must(Field(Quarter, d("2016-08-31"))), "3"},
		{"SELECT month('2016-07-30') → 7", must(Field(Month, d("2016-07-30"))), "7"},
		{"SELECT dayofmonth('2009-07-30') → 30", must(Field(DayOfMonth, d("2009-07-30"))), "30"},
		{"SELECT dayofweek('2009-07-30') → 5", must(Field(DayOfWeek, d("2009-07-30"))), "5"},
		{"SELECT weekday('2009-07-30') → 3", must(Field(Weekday, d("2009-07-30"))), "3"},
		{"SELECT dayofyear('2016-04-09') → 100", must(Field(DayOfYear, d("2016-04-09"))), "100"},
		{"SELECT weekofyear('2008-02-20') → 8", must(Field(WeekOfYear, d("2008-02-20"))), "8"},
		{"SELECT hour('2009-07-30 12:58:59') → 12", must(Field(Hour, ts("2009-07-30 12:58:59"))), "12"},
		{"SELECT minute('2009-07-30 12:58:59') → 58", must(Field(Minute, ts("2009-07-30 12:58:59"))), "58"},
		{"SELECT second('2009-07-30 12:58:59') → 59", must(Field(Second, ts("2009-07-30 12:58:59"))), "59"},
		{"SELECT date_add('2016-07-30', 1) → 2016-07-31", must(DateAdd(d("2016-07-30"), i(1), false)), "2016-07-31"},
		{"SELECT date_sub('2016-07-30', 1) → 2016-07-29", must(DateAdd(d("2016-07-30"), i(1), true)), "2016-07-29"},
		{"SELECT datediff('2009-07-31', '2009-07-30') → 1", must(DateDiff(d("2009-07-31"), d("2009-07-30"))), "1"},
		{"SELECT datediff('2009-07-30', '2009-07-31') → -1", must(DateDiff(d("2009-07-30"), d("2009-07-31"))), "-1"},
		{"SELECT add_months('2016-08-31', 1) → 2016-09-30", must(AddMonths(d("2016-08-31"), i(1))), "2016-09-30"},
		{"SELECT months_between('1997-02-28 10:30:00', '1996-10-30') → 3.94959677",
			must(MonthsBetween(ts("1997-02-28 10:30:00"), ts("1996-10-30 00:00:00"), true)), "3.94959677"},
		{"SELECT months_between('1997-02-28 10:30:00', '1996-10-30', false) → 3.9495967741935485",
			must(MonthsBetween(ts("1997-02-28 10:30:00"), ts("1996-10-30 00:00:00"), false)), "3.9495967741935485"},
		{"SELECT last_day('2009-01-12') → 2009-01-31", must(LastDay(d("2009-01-12"))), "2009-01-31"},
		{"SELECT next_day('2015-01-14', 'TU') → 2015-01-20", must(NextDay(d("2015-01-14"), s("TU"))), "2015-01-20"},
		{"SELECT date_trunc('YEAR', '2015-03-05T09:32:05.359') → 2015-01-01 00:00:00",
			must(DateTrunc("YEAR", ts("2015-03-05 09:32:05.359"))), "2015-01-01 00:00:00"},
		{"SELECT date_trunc('MM', '2015-03-05T09:32:05.359') → 2015-03-01 00:00:00",
			must(DateTrunc("MM", ts("2015-03-05 09:32:05.359"))), "2015-03-01 00:00:00"},
		{"SELECT date_trunc('DD', '2015-03-05T09:32:05.359') → 2015-03-05 00:00:00",
			must(DateTrunc("DD", ts("2015-03-05 09:32:05.359"))), "2015-03-05 00:00:00"},
		{"SELECT date_trunc('HOUR', '2015-03-05T09:32:05.359') → 2015-03-05 09:00:00",
			must(DateTrunc("HOUR", ts("2015-03-05 09:32:05.359"))), "2015-03-05 09:00:00"},
		{"SELECT date_trunc('MILLISECOND', '2015-03-05T09:32:05.123456') → 2015-03-05 09:32:05.123",
			must(DateTrunc("MILLISECOND", ts("2015-03-05 09:32:05.123456"))), "2015-03-05 09:32:05.123000"},
		{"SELECT trunc('2019-08-04', 'week') → 2019-07-29", must(Trunc(d("2019-08-04"), "week")), "2019-07-29"},
		{"SELECT trunc('2019-08-04', 'quarter') → 2019-07-01", must(Trunc(d("2019-08-04"), "quarter")), "2019-07-01"},
		{"SELECT trunc('2009-02-12', 'MM') → 2009-02-01", must(Trunc(d("2009-02-12"), "MM")), "2009-02-01"},
		{"SELECT trunc('2015-10-27', 'YEAR') → 2015-01-01", must(Trunc(d("2015-10-27"), "YEAR")), "2015-01-01"},
		{"SELECT to_date('2016-12-31', 'yyyy-MM-dd') → 2016-12-31", must(ToDate(s("2016-12-31"), "yyyy-MM-dd")), "2016-12-31"},
		{"SELECT to_timestamp('2016-12-31', 'yyyy-MM-dd') → 2016-12-31 00:00:00",
			must(ToTimestamp(s("2016-12-31"), "yyyy-MM-dd", false)), "2016-12-31 00:00:00"},
		{"SELECT try_to_timestamp('foo', 'yyyy-MM-dd') → NULL", must(ToTimestamp(s("foo"), "yyyy-MM-dd", true)), "NULL"},
		{"SELECT date_format('2016-04-08', 'y') → 2016", must(DateFormat(ts("2016-04-08 00:00:00"), "y")), "2016"},
		// The docs run in America/Los_Angeles (1460098800); in UTC it is 7 hours less.
		{"SELECT unix_timestamp('2016-04-08', 'yyyy-MM-dd') → 1460073600 (UTC)", must(UnixTimestamp(s("2016-04-08"), "yyyy-MM-dd")), "1460073600"},
		// The docs show 1969-12-31 16:00:00 in America/Los_Angeles.
		{"SELECT from_unixtime(0, 'yyyy-MM-dd HH:mm:ss') → 1970-01-01 00:00:00 (UTC)",
			must(FromUnixtime(lit(t, int64(0), int64Type), "yyyy-MM-dd HH:mm:ss")), "1970-01-01 00:00:00"},
		{"SELECT make_date(2013, 7, 15) → 2013-07-15", must(MakeDate(i(2013), i(7), i(15))), "2013-07-15"},
		{"SELECT make_date(2019, 7, NULL) → NULL", must(MakeDate(i(2019), i(7), lit(t, nil, int32Type))), "NULL"},
	}
	for _, c := range cases {
		got, err := scalar(t, mem, c.e)
		if err != nil {
			t.Errorf("%s: %v", c.doc, err)
			continue
		}
		if got != c.want {
			t.Errorf("%s: got %s", c.doc, got)
		}
	}
}
