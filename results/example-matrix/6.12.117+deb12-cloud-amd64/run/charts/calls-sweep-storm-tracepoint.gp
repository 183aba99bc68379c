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
plot  "calls-sweep-storm-tracepoint.dat" index 0 using 1:2 with points pt 7 lc 1 title "empty", 226.7340 + 2.77470*x with lines lc 1 notitle, \
     "calls-sweep-storm-tracepoint.dat" index 1 using 1:2 with points pt 7 lc 2 title "inline", 499.1030 + 265.82630*x with lines lc 2 notitle, \
     "calls-sweep-storm-tracepoint.dat" index 2 using 1:2 with points pt 7 lc 3 title "noinline", 437.9320 + 282.26160*x with lines lc 3 notitle, \
     "calls-sweep-storm-tracepoint.dat" index 3 using 1:2 with points pt 7 lc 4 title "linked", 460.4620 + 283.07990*x with lines lc 4 notitle, \
     "calls-sweep-storm-tracepoint.dat" index 4 using 1:2 with points pt 7 lc 5 title "freplace", 479.3800 + 281.71980*x with lines lc 5 notitle, \
     "calls-sweep-storm-tracepoint.dat" index 5 using 1:2 with points pt 7 lc 6 title "tailcall", 508.5230 + 301.63210*x with lines lc 6 notitle
