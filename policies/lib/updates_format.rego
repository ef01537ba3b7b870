package lockcheck.lib

# one_decimal formats a number with one decimal ("23.9", "7.0"). sprintf's %.1f
# alone is not enough: OPA hands whole numbers (24, 240/10) to sprintf as
# integers, which %.1f prints as "%!f(int64=24)".
one_decimal(x) := sprintf("%d.0", [round(x)]) if {
	x == round(x)
} else := sprintf("%.1f", [x])
