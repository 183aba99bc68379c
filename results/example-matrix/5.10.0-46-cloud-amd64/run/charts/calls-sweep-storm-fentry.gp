# Regenerate: cd charts && gnuplot calls-sweep-storm-fentry.gp
if (!exists("outfile")) outfile = "calls-sweep-storm-fentry.png"
set terminal pngcairo size 960,540 font "sans,11" noenhanced
set output outfile
set grid ytics
set key below
set title "ns per trigger over K at storm/fentry: means over rounds (points), fitted lines (slope = ns per call)"
set xlabel "K (handler calls per trigger)"
set ylabel "ns per trigger"
set key left top
plot  "calls-sweep-storm-fentry.dat" index 0 using 1:2 with points pt 7 lc 1 title "empty", 368.2120 + 2.29810*x with lines lc 1 notitle, \
     "calls-sweep-storm-fentry.dat" index 1 using 1:2 with points pt 7 lc 2 title "inline", 578.3510 + 271.45540*x with lines lc 2 notitle, \
     "calls-sweep-storm-fentry.dat" index 2 using 1:2 with points pt 7 lc 3 title "noinline", 645.0350 + 286.86260*x with lines lc 3 notitle, \
     "calls-sweep-storm-fentry.dat" index 3 using 1:2 with points pt 7 lc 4 title "linked", 732.7700 + 284.24380*x with lines lc 4 notitle, \
     "calls-sweep-storm-fentry.dat" index 4 using 1:2 with points pt 7 lc 5 title "tailcall", 718.4960 + 299.46930*x with lines lc 5 notitle
