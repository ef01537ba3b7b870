// Package seam imports lock fleets from the Seam API (https://docs.seam.co):
// a typed model of the parts of the API lockcheck reads, an HTTP client that
// lists devices, access codes (managed and unmanaged) and events, the saved
// export those lists make, and the pure mapping from an export to
// LockSnapshot documents.
//
// The model holds only the fields lockcheck reads. Above all it has no field
// for an access code's value (`code` in access codes, pending mutations and
// events): encoding/json skips a key the struct does not name without
// keeping it, so a PIN never leaves the HTTP response body. A test checks
// every field here against the OpenAPI document shipped in the npm package
// @seamapi/types, so a field renamed upstream fails the build instead of
// silently dropping evidence.
package seam

// Device is one item of devices/list (OpenAPI schema `device`).
type Device struct {
	DeviceID              string   `json:"device_id"`
	DeviceType            string   `json:"device_type,omitempty"`
	DisplayName           string   `json:"display_name,omitempty"`
	Nickname              string   `json:"nickname,omitempty"`
	WorkspaceID           string   `json:"workspace_id,omitempty"`
	ConnectedAccountID    string   `json:"connected_account_id,omitempty"`
	CreatedAt             string   `json:"created_at,omitempty"`
	CapabilitiesSupported []string `json:"capabilities_supported,omitempty"`

	CanProgramOnlineAccessCodes  *bool `json:"can_program_online_access_codes,omitempty"`
	CanProgramOfflineAccessCodes *bool `json:"can_program_offline_access_codes,omitempty"`
	CanRemotelyUnlock            *bool `json:"can_remotely_unlock,omitempty"`
	CanRemotelyLock              *bool `json:"can_remotely_lock,omitempty"`
	CanUnlockWithCode            *bool `json:"can_unlock_with_code,omitempty"`

	Location   *Location        `json:"location,omitempty"`
	Properties DeviceProperties `json:"properties"`
	Errors     []DeviceIssue    `json:"errors,omitempty"`
	Warnings   []DeviceWarning  `json:"warnings,omitempty"`
}

// Location is a device's `location`.
type Location struct {
	LocationName string `json:"location_name,omitempty"`
	TimeZone     string `json:"time_zone,omitempty"`
}

// DeviceProperties is a device's `properties` (the lock-related subset).
type DeviceProperties struct {
	Online                    *bool            `json:"online,omitempty"`
	Locked                    *bool            `json:"locked,omitempty"`
	DoorOpen                  *bool            `json:"door_open,omitempty"`
	BatteryLevel              *float64         `json:"battery_level,omitempty"`
	Battery                   *Battery         `json:"battery,omitempty"`
	Manufacturer              string           `json:"manufacturer,omitempty"`
	Model                     *DeviceModel     `json:"model,omitempty"`
	SerialNumber              string           `json:"serial_number,omitempty"`
	Name                      string           `json:"name,omitempty"`
	CodeConstraints           []CodeConstraint `json:"code_constraints,omitempty"`
	SupportedCodeLengths      []float64        `json:"supported_code_lengths,omitempty"`
	MaxActiveCodesSupported   *float64         `json:"max_active_codes_supported,omitempty"`
	OnlineAccessCodesEnabled  *bool            `json:"online_access_codes_enabled,omitempty"`
	OfflineAccessCodesEnabled *bool            `json:"offline_access_codes_enabled,omitempty"`
	AutoLockEnabled           *bool            `json:"auto_lock_enabled,omitempty"`
	AutoLockDelaySeconds      *float64         `json:"auto_lock_delay_seconds,omitempty"`
}

// Battery is a device's `properties.battery`.
type Battery struct {
	Level  *float64 `json:"level,omitempty"`
	Status string   `json:"status,omitempty"`
}

// DeviceModel is a device's `properties.model`.
type DeviceModel struct {
	DisplayName                 string `json:"display_name,omitempty"`
	ManufacturerDisplayName     string `json:"manufacturer_display_name,omitempty"`
	HasBuiltInKeypad            *bool  `json:"has_built_in_keypad,omitempty"`
	OnlineAccessCodesSupported  *bool  `json:"online_access_codes_supported,omitempty"`
	OfflineAccessCodesSupported *bool  `json:"offline_access_codes_supported,omitempty"`
}

// CodeConstraint is one item of `properties.code_constraints`.
type CodeConstraint struct {
	ConstraintType string   `json:"constraint_type"`
	MinLength      *float64 `json:"min_length,omitempty"`
	MaxLength      *float64 `json:"max_length,omitempty"`
}

// DeviceIssue is one item of a device's `errors`.
type DeviceIssue struct {
	ErrorCode string `json:"error_code"`
	CreatedAt string `json:"created_at,omitempty"`
}

// DeviceWarning is one item of a device's `warnings`.
type DeviceWarning struct {
	WarningCode string `json:"warning_code"`
	CreatedAt   string `json:"created_at,omitempty"`
}

// AccessCode is one item of access_codes/list (schema `access_code`) or of
// access_codes/unmanaged/list (schema `unmanaged_access_code`, whose
// is_managed is false). It deliberately has no `code` field.
type AccessCode struct {
	AccessCodeID        string            `json:"access_code_id"`
	DeviceID            string            `json:"device_id"`
	Type                string            `json:"type"`
	Status              string            `json:"status"`
	StartsAt            *string           `json:"starts_at,omitempty"`
	EndsAt              *string           `json:"ends_at,omitempty"`
	CreatedAt           string            `json:"created_at,omitempty"`
	IsManaged           bool              `json:"is_managed"`
	IsOfflineAccessCode *bool             `json:"is_offline_access_code,omitempty"`
	IsOneTimeUse        *bool             `json:"is_one_time_use,omitempty"`
	PendingMutations    []PendingMutation `json:"pending_mutations,omitempty"`
}

// PendingMutation is one item of an access code's `pending_mutations`
// (without its `from`/`to`, which may carry the code).
type PendingMutation struct {
	MutationCode string `json:"mutation_code"`
	CreatedAt    string `json:"created_at,omitempty"`
}

// Event is one item of events/list (schema `event`, a oneOf over event
// types; the fields here are those of the lock, access-code and device
// events lockcheck reads). It has no `code` field.
type Event struct {
	EventID             string   `json:"event_id"`
	EventType           string   `json:"event_type"`
	OccurredAt          string   `json:"occurred_at"`
	CreatedAt           string   `json:"created_at,omitempty"`
	DeviceID            string   `json:"device_id,omitempty"`
	AccessCodeID        string   `json:"access_code_id,omitempty"`
	AccessCodeIsManaged *bool    `json:"access_code_is_managed,omitempty"`
	Method              string   `json:"method,omitempty"`
	IsViaBluetooth      *bool    `json:"is_via_bluetooth,omitempty"`
	IsViaNFC            *bool    `json:"is_via_nfc,omitempty"`
	BatteryLevel        *float64 `json:"battery_level,omitempty"`
	ErrorCode           string   `json:"error_code,omitempty"`
}

// Pagination is the `pagination` object of a paginated list response.
type Pagination struct {
	HasNextPage    bool    `json:"has_next_page"`
	NextPageCursor *string `json:"next_page_cursor"`
}

// Values of the enums lockcheck reads (checked against the OpenAPI document).
const (
	CapabilityLock       = "lock"
	CapabilityAccessCode = "access_code"

	CodeTypeOngoing   = "ongoing"
	CodeTypeTimeBound = "time_bound"

	CodeStatusSet      = "set"
	CodeStatusSetting  = "setting"
	CodeStatusRemoving = "removing"
	CodeStatusUnset    = "unset"
	CodeStatusUnknown  = "unknown"

	EventLockUnlocked          = "lock.unlocked"
	EventLockLocked            = "lock.locked"
	EventLockAccessDenied      = "lock.access_denied"
	EventCodeSetOnDevice       = "access_code.set_on_device"
	EventCodeRemovedFromDevice = "access_code.removed_from_device"
	EventCodeDeleted           = "access_code.deleted"
	EventUnmanagedCodeCreated  = "access_code.unmanaged.created"
	EventUnmanagedCodeRemoved  = "access_code.unmanaged.removed"
	EventDeviceConnected       = "device.connected"
	EventDeviceDisconnected    = "device.disconnected"
	EventDeviceLowBattery      = "device.low_battery"
	EventDeviceTampered        = "device.tampered"

	MethodKeycode   = "keycode"
	MethodManual    = "manual"
	MethodAutomatic = "automatic"
	MethodRemote    = "remote"
	MethodCard      = "card"
	MethodUnknown   = "unknown"
)
