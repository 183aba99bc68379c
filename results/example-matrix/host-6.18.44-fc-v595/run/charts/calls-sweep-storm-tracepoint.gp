# Regenerate: cd charts && gnuplot calls-sweep-storm-tracepoint.gp
if (!exists("outfile")) outfile = "calls-sweep-storm-tracepoint.png"
set terminal pngcairo size 960,540 font "sans,11" noenhanced
set output outfile
set grid ytics
set key below
set title "ns per trigger over K at storm/tracepoint: means over rounds (points), fitted lines (slope = ns per call)"
set xlabel "K (handler calls per trigger)"
set ylabel "ns per trigger"
set key left top
plot  "calls-sweep-storm-tracepoint.dat" index 0 using 1:2 with points pt 7 lc 1 title "empty", 38.3220 + 0.44460*x with lines lc 1 notitle, \
     "calls-sweep-storm-tracepoint.dat" index 1 using 1:2 with points pt 7 lc 2 title "inline", 43.5540 + 87.60270*x with lines lc 2 notitle, \
     "calls-sweep-storm-tracepoint.dat" index 2 using 1:2 with points pt 7 lc 3 title "noinline", 42.3470 + 94.28720*x with lines lc 3 notitle, \
     "calls-sweep-storm-tracepoint.dat" index 3 using 1:2 with points pt 7 lc 4 title "global", 41.3490 + 94.35750*x with lines lc 4 notitle, \
     "calls-sweep-storm-tracepoint.dat" index 4 using 1:2 with points pt 7 lc 5 title "linked", 43.5180 + 94.25390*x with lines lc 5 notitle, \
     "calls-sweep-storm-tracepoint.dat" index 5 using 1:2 with points pt 7 lc 6 title "tailcall", 43.2930 + 90.35630*x with lines lc 6 notitle
