package v1alpha1

// Date is a calendar date such as 2026-12-25, between 1900 and 2999. The
// rule accepts exactly the dates Go's time.Parse(time.DateOnly) accepts in
// that range (a test enumerates them), so whatever the API server stores the
// manager can read.
// +kubebuilder:validation:MinLength=10
// +kubebuilder:validation:MaxLength=10
// +kubebuilder:validation:XValidation:rule="self.matches('^(19|2[0-9])[0-9]{2}-(0[13578]|1[02])-(0[1-9]|[12][0-9]|3[01])$|^(19|2[0-9])[0-9]{2}-(0[469]|11)-(0[1-9]|[12][0-9]|30)$|^(19|2[0-9])[0-9]{2}-02-(0[1-9]|1[0-9]|2[0-8])$|^((19|2[0-9])(0[48]|[2468][048]|[13579][26])|2000|2400|2800)-02-29$')",message="must be a calendar date such as 2026-12-25 (years 1900-2999)"
type Date string

// DatePattern is the rule behind Date: the month's day count, and 29
// February only in leap years.
// The CRD rule repeats it verbatim; a test checks they agree.
const DatePattern = `^(19|2[0-9])[0-9]{2}-(0[13578]|1[02])-(0[1-9]|[12][0-9]|3[01])$|^(19|2[0-9])[0-9]{2}-(0[469]|11)-(0[1-9]|[12][0-9]|30)$|^(19|2[0-9])[0-9]{2}-02-(0[1-9]|1[0-9]|2[0-8])$|^((19|2[0-9])(0[48]|[2468][048]|[13579][26])|2000|2400|2800)-02-29$`

// Quarter is a calendar quarter such as 2026-Q4.
// +kubebuilder:validation:MinLength=7
// +kubebuilder:validation:MaxLength=7
// +kubebuilder:validation:Pattern=`^(19|2[0-9])[0-9]{2}-Q[1-4]$`
type Quarter string

// TimeOfDay is a wall-clock time such as 09:00 (24-hour, two digits each).
// +kubebuilder:validation:MinLength=5
// +kubebuilder:validation:MaxLength=5
// +kubebuilder:validation:Pattern=`^([01][0-9]|2[0-3]):[0-5][0-9]$`
type TimeOfDay string

// TimeOfDayPattern is TimeOfDay's pattern; the manager reads it with
// time.Parse("15:04"), and a test checks they agree.
const TimeOfDayPattern = `^([01][0-9]|2[0-3]):[0-5][0-9]$`

// DayRange is a weekday (Mon) or a range of weekdays (Mon-Fri; Fri-Mon wraps
// over the weekend).
// +kubebuilder:validation:MaxLength=7
// +kubebuilder:validation:Pattern=`^(Mon|Tue|Wed|Thu|Fri|Sat|Sun)(-(Mon|Tue|Wed|Thu|Fri|Sat|Sun))?$`
type DayRange string

// QuietHours says when people may be messaged. Outside the allowed windows,
// and all day on holidays, nothing is posted: a quick win waits for the next
// allowed moment, and a schedule that fires in quiet hours is reported.
type QuietHours struct {
	// timeZone is the IANA time zone of the windows, holidays and freezes,
	// e.g. Europe/Berlin. Defaults to UTC.
	// +optional
	TimeZone TimeZone `json:"timeZone,omitempty"`

	// allow lists the windows in which messages may be sent. Empty means
	// any time of any day that is not a holiday.
	// +optional
	// +listType=atomic
	// +kubebuilder:validation:MaxItems=14
	Allow []AllowedWindow `json:"allow,omitempty"`

	// holidays are whole days without messages.
	// +optional
	// +listType=set
	// +kubebuilder:validation:MaxItems=60
	Holidays []Date `json:"holidays,omitempty"`

	// freezes hold stage advancement (e.g. over year end): while one is on,
	// the initiative stays in its stage whatever its gates say.
	// +optional
	// +listType=map
	// +listMapKey=name
	// +kubebuilder:validation:MaxItems=20
	Freezes []Freeze `json:"freezes,omitempty"`
}

// AllowedWindow is a daily window on some weekdays.
// +kubebuilder:validation:XValidation:rule="self.from < self.to",message="from must be before to (windows do not cross midnight; use two windows)"
type AllowedWindow struct {
	// days the window applies to, e.g. [Mon-Fri] or [Sat, Sun].
	// +required
	// +listType=set
	// +kubebuilder:validation:MinItems=1
	// +kubebuilder:validation:MaxItems=7
	Days []DayRange `json:"days"`

	// from is when the window opens, e.g. 09:00.
	// +required
	From TimeOfDay `json:"from"`

	// to is when the window closes (exclusive), e.g. 17:30.
	// +required
	To TimeOfDay `json:"to"`
}

// Freeze is a period without stage advancement, from the start of its first
// day to the end of its last day, in the quiet hours' time zone.
// +kubebuilder:validation:XValidation:rule="self.from <= self.to",message="from must not be after to"
type Freeze struct {
	// name identifies the freeze, e.g. year-end.
	// +required
	// +kubebuilder:validation:MinLength=1
	// +kubebuilder:validation:MaxLength=63
	// +kubebuilder:validation:Pattern=`^[a-z0-9]([-a-z0-9]*[a-z0-9])?$`
	Name string `json:"name"`

	// from is the first frozen day.
	// +required
	From Date `json:"from"`

	// to is the last frozen day.
	// +required
	To Date `json:"to"`
}
